package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;

import java.util.Map;
import java.util.Optional;

/**
 * A {@code ProxyCommand} value made ready to run, as OpenSSH does it: {@code none} means no proxy; the
 * host and user names are checked for shell metacharacters <em>before</em> {@code %h %n %p %r %%} are
 * expanded (OpenSSH 9.6's fix for command injection through names), since the result goes to a shell.
 */
final class ProxyCommandExpansion {
    /** OpenSSH's valid_ruser(): characters a shell would act on. */
    private static final String USER_META = "'`\";&<>|(){}";

    private ProxyCommandExpansion() {
    }

    /**
     * @param line       the ProxyCommand option ({@link SshConfigLine#text()} is the command)
     * @param lookupName the name the host was looked up by ({@code %n})
     * @param hostName   the host to reach ({@code %h}), after HostName
     * @param userLine   where the user was set, or null when it is the local user
     */
    static Optional<ProxyCommand> expand(SshConfigLine line, String lookupName, String hostName, int port, String user,
                                         SshConfigLine userLine) {
        String command = line.text().strip();
        if (command.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        for (String name : new String[] {lookupName, hostName}) {
            String problem = HostNames.problem(name);
            if (problem != null) {
                throw new ConfigException(line.location(), line.field(), "host name " + problem
                        + ": refused before it could reach the ProxyCommand's shell, as OpenSSH refuses it");
            }
        }
        String userProblem = userProblem(user);
        if (userProblem != null) {
            SshConfigLine where = userLine != null ? userLine : line;
            throw new ConfigException(where.location(), where.field(), "user name " + userProblem
                    + ": refused before it could reach the ProxyCommand of " + line.location() + ", as OpenSSH refuses it");
        }
        Map<Character, String> tokens = Map.of('h', hostName, 'n', lookupName, 'p', String.valueOf(port), 'r', user, '%', "%");
        return Optional.of(new ProxyCommand(SshConfigResolver.percent(command, tokens, line, "%h %n %p %r %%"), line.location()));
    }

    /** Why {@code user} may not go to a shell, or null: OpenSSH's valid_ruser(), plus control characters. */
    static String userProblem(String user) {
        if (user.isEmpty()) {
            return "is empty";
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (USER_META.indexOf(c) >= 0) {
                return "contains '" + c + "'";
            }
            if (Character.isISOControl(c)) {
                return "contains a control character";
            }
            if (Character.isWhitespace(c) && i + 1 < user.length() && user.charAt(i + 1) == '-') {
                return "contains white space followed by '-'";
            }
        }
        if (user.endsWith("\\")) {
            return "ends with '\\'";
        }
        return null;
    }
}
