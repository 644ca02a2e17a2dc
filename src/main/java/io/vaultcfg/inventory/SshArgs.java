package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code ansible_ssh_common_args} read as ssh's command line: {@code -o Keyword=value} (or
 * {@code -o Keyword value}) and {@code -J hops} become options in the order given, {@code -F FILE}
 * names the ssh config file. Which options vaultcfg supports is decided where the connection is resolved;
 * any other argument is refused here, never ignored.
 */
record SshArgs(List<SshOption> options, Optional<String> configFile) {

    /** {@code field}: the variable that holds the arguments, named in errors. */
    static SshArgs parse(String text, String location, String field) {
        List<String> words;
        try {
            words = ShellWords.split(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(location, field, e.getMessage());
        }
        List<SshOption> options = new ArrayList<>();
        Optional<String> configFile = Optional.empty();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("-J") || word.equals("-F") || word.equals("-o")) {
                if (i + 1 >= words.size()) {
                    throw new ConfigException(location, field, "ssh argument '" + word + "' needs a value");
                }
            }
            String option;
            if (word.startsWith("-J")) {
                options.add(new SshOption("ProxyJump", List.of(word.length() > 2 ? word.substring(2) : words.get(++i)),
                        location, field));
                continue;
            } else if (word.startsWith("-F")) {
                configFile = Optional.of(word.length() > 2 ? word.substring(2) : words.get(++i));
                continue;
            } else if (word.startsWith("-o")) {
                option = word.length() > 2 ? word.substring(2) : words.get(++i);
            } else {
                throw new ConfigException(location, field, "unsupported ssh argument '" + word
                        + "' (vaultcfg understands -o Keyword=value, -J and -F)");
            }
            String[] keyValue = option.contains("=") ? option.split("=", 2) : option.trim().split("\\s+", 2);
            if (keyValue.length < 2 && i + 1 < words.size() && !words.get(i + 1).startsWith("-")) {
                keyValue = new String[] {keyValue[0], words.get(++i)};
            }
            String key = keyValue[0].trim();
            String value = keyValue.length > 1 ? keyValue[1].trim() : "";
            if (key.equalsIgnoreCase("stricthostkeychecking") && (value.equalsIgnoreCase("no") || value.equalsIgnoreCase("off"))) {
                throw new ConfigException(location, field, "StrictHostKeyChecking=no is refused: "
                        + "vaultcfg always checks host keys; use --ssh-accept-new to trust new hosts on first use");
            }
            if (key.isEmpty() || value.isEmpty()) {
                throw new ConfigException(location, field, "ssh option '" + option + "' has no value");
            }
            // a ProxyCommand is one command line for the shell, kept whole as ssh keeps it
            options.add(new SshOption(key, key.equalsIgnoreCase("proxycommand") ? List.of(value) : Arrays.asList(value.split("\\s+")),
                    location, field));
        }
        return new SshArgs(List.copyOf(options), configFile);
    }
}
