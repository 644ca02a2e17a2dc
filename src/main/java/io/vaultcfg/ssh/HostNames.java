package io.vaultcfg.ssh;

/**
 * Host and user names vaultcfg will put in known_hosts lines, messages and (for ProxyCommand) a shell
 * command: refused as OpenSSH refuses them, before anything is contacted.
 */
final class HostNames {
    private static final String SHELL_META = "'`\"$\\;&<>|(){},";

    private HostNames() {
    }

    /** Why {@code name} is not acceptable as a host name, or null when it is. */
    static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "is empty";
        }
        if (name.startsWith("-")) {
            return "starts with '-'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return "contains a control character";
            }
            if (Character.isWhitespace(c)) {
                return "contains white space";
            }
            if (SHELL_META.indexOf(c) >= 0) {
                return "contains '" + c + "'";
            }
        }
        return null;
    }
}
