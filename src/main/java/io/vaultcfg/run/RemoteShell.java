package io.vaultcfg.run;

import io.vaultcfg.shell.ShellQuote;
import java.util.Optional;

/**
 * How a generated script reaches the host: on stdin (so no secret ever shows in a process listing),
 * read whole and evaluated by {@code sh}, with the commands' own stdin closed. With become, through
 * {@code sudo -n}, which fails instead of waiting for a password.
 */
record RemoteShell(Optional<String> becomeUser) {
    private static final String EVAL_STDIN = "eval \"$(cat)\" </dev/null";

    String command() {
        String shell = "sh -c " + ShellQuote.quote(EVAL_STDIN);
        return becomeUser.map(user -> "sudo -n -u " + ShellQuote.quote(user) + " -- " + shell).orElse(shell);
    }

    /**
     * Turns sudo's terse refusal into something an operator can act on. With {@code -n}, sudo answers "a
     * password is required" both to a user whose rule lacks NOPASSWD and to a user with no rule at all
     * (it would ask for the password before saying so), so that message names both causes.
     */
    static Optional<String> explainFailure(String stderr, Optional<String> becomeUser) {
        if (becomeUser.isPresent() && (stderr.contains("a password is required") || stderr.contains("a terminal is required"))) {
            return Optional.of("sudo on this host asks for a password; the login user has no passwordless sudo there (a rule without "
                    + "NOPASSWD, or not in sudoers at all); vaultcfg needs passwordless sudo (NOPASSWD) for the login user, "
                    + "or set ansible_become: false where root is not needed");
        }
        if (becomeUser.isPresent() && stderr.contains("not in the sudoers")) {
            return Optional.of("the login user may not use sudo on this host");
        }
        if (becomeUser.isPresent() && stderr.contains("sudo: not found")) {
            return Optional.of("sudo is not installed on this host");
        }
        return Optional.empty();
    }
}
