package io.vaultcfg.ssh;

import java.util.Objects;

/**
 * An OpenSSH {@code ProxyCommand}, its {@code %} tokens already expanded: the SSH connection runs over
 * the command's standard input and output.
 *
 * @param command the command line handed to the shell (after {@code exec })
 * @param origin  where it was configured ({@code file:line}); messages name this, never the command,
 *                which may carry a token or password of the proxy's
 */
public record ProxyCommand(String command, String origin) {
    public ProxyCommand {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(origin, "origin");
    }
}
