package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import java.util.List;
import java.util.Optional;

/**
 * The OpenSSH options vaultcfg understands in {@code ansible_ssh_common_args}: ProxyJump (or -J) and
 * UserKnownHostsFile. Anything else is refused with a reason rather than silently ignored.
 */
record SshArgs(Optional<String> proxyJump, Optional<String> knownHostsFile) {

    /** {@code field}: the variable that holds the arguments, named in errors. */
    static SshArgs parse(String text, String location, String field) {
        List<String> words;
        try {
            words = ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(location, field, e.getMessage());
        }
        Optional<String> jump = Optional.empty();
        Optional<String> knownHosts = Optional.empty();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            String option;
            if (word.equals("-J") && i + 1 < words.size()) {
                jump = Optional.of(words.get(++i));
                continue;
            } else if (word.startsWith("-J")) {
                jump = Optional.of(word.substring(2));
                continue;
            } else if (word.equals("-o") && i + 1 < words.size()) {
                option = words.get(++i);
            } else if (word.startsWith("-o")) {
                option = word.substring(2);
            } else {
                throw new ConfigException(location, field, "unsupported ssh argument '" + word
                        + "' (vaultcfg understands -J, -o ProxyJump=, -o UserKnownHostsFile=)");
            }
            String[] keyValue = option.contains("=") ? option.split("=", 2) : option.split("\\s+", 2);
            if (keyValue.length < 2 && i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
                keyValue = new String[] {keyValue[0], words.get(++i)};
            }
            String key = keyValue[0].trim();
            String value = keyValue.length > 1 ? keyValue[1].trim() : "";
            switch (key.toLowerCase()) {
                case "proxyjump" -> jump = Optional.of(value);
                case "userknownhostsfile" -> knownHosts = Optional.of(value.split("\\s+")[0]);
                case "stricthostkeychecking" -> {
                    if (value.equalsIgnoreCase("no") || value.equalsIgnoreCase("off")) {
                        throw new ConfigException(location, field, "StrictHostKeyChecking=no is refused: "
                                + "vaultcfg always checks host keys; use --ssh-accept-new to trust new hosts on first use");
                    }
                }
                case "controlmaster", "controlpersist", "controlpath", "serveraliveinterval", "serveralivecountmax",
                        "compression", "connecttimeout" -> {
                    // connection tuning for OpenSSH; vaultcfg keeps one connection per host anyway
                }
                default -> throw new ConfigException(location, field, "unsupported ssh option '" + key
                        + "' (vaultcfg understands ProxyJump and UserKnownHostsFile)");
            }
        }
        return new SshArgs(jump, knownHosts);
    }
}
