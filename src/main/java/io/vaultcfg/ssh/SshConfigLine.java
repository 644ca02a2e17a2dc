package io.vaultcfg.ssh;

import java.util.List;
import java.util.Locale;

/**
 * One OpenSSH option as given in an ssh_config file or on the command line ({@code -o}), where it was
 * given ({@code file:line} and the field to name in an error), and the {@code Host} lines it is under:
 * it applies to a host when every one of them matches (an {@code Include} inside a {@code Host} block
 * adds the including block's patterns).
 *
 * @param name       the keyword as written, for messages
 * @param conditions empty for options outside any Host block and for command-line options
 * @param text       the value as written, unsplit (what OpenSSH hands to the shell for {@code ProxyCommand})
 */
public record SshConfigLine(String name, List<String> args, String location, String field, List<KnownHostsPatterns> conditions,
                            String text) {

    public SshConfigLine {
        args = List.copyOf(args);
        conditions = List.copyOf(conditions);
    }

    public SshConfigLine(String name, List<String> args, String location, String field, List<KnownHostsPatterns> conditions) {
        this(name, args, location, field, conditions, String.join(" ", args));
    }

    /** A command-line option ({@code -o Keyword=value}, {@code -J}, an inventory variable): applies to every host. */
    public static SshConfigLine commandLine(String name, List<String> args, String location, String field) {
        return new SshConfigLine(name, args, location, field, List.of());
    }

    String keyword() {
        return name.toLowerCase(Locale.ROOT);
    }

    boolean appliesTo(String host) {
        for (KnownHostsPatterns condition : conditions) {
            if (!condition.matches(host)) {
                return false;
            }
        }
        return true;
    }
}
