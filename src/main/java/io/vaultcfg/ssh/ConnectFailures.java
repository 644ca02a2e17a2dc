package io.vaultcfg.ssh;

import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Turns whatever went wrong while connecting into one sentence a user can act on. Messages name hosts,
 * users, files and fingerprints only: nothing secret reaches a connection attempt.
 */
final class ConnectFailures {
    /** A command whose output just ended is normally exiting: this long is waited for its status. */
    private static final long PROXY_EXIT_WAIT_MILLIS = 1000;

    private ConnectFailures() {
    }

    static HostUnreachableException explain(Endpoint endpoint, Exception failure, KnownHostsVerifier verifier,
                                            List<String> offeredKeys, Duration connectTimeout, boolean handshakeTimedOut) {
        HostUnreachableException hostKey = hostKeyRefusal(endpoint, verifier);
        if (hostKey != null) {
            return hostKey;
        }
        Throwable cause = rootOf(failure);
        String where = endpoint.describe();
        String message;
        if (handshakeTimedOut) {
            message = "SSH handshake with " + where + " did not finish within " + seconds(connectTimeout)
                    + "; is an SSH server answering on port " + endpoint.port() + "?";
        } else if (failure instanceof UserAuthException || cause instanceof UserAuthException) {
            message = "authentication failed for user '" + endpoint.user() + "' on " + where + " with "
                    + String.join(", ", offeredKeys)
                    + "; check that the matching public key is in that user's ~/.ssh/authorized_keys";
        } else if (cause instanceof UnknownHostException) {
            message = "cannot resolve host name '" + endpoint.host() + "' of " + endpoint.label();
        } else if (cause instanceof ConnectException) {
            message = "connection refused by " + where + "; is sshd running and listening on port " + endpoint.port() + "?";
        } else if (cause instanceof SocketTimeoutException) {
            message = "no answer from " + where + " within " + seconds(connectTimeout) + "; check the address, port and firewall";
        } else if (cause instanceof NoRouteToHostException) {
            message = "no route to " + where + "; check the address and the network";
        } else if (failure instanceof TransportException && failure.getMessage() != null
                && failure.getMessage().toLowerCase().contains("timeout")) {
            message = "SSH handshake with " + where + " did not finish within " + seconds(connectTimeout)
                    + "; is an SSH server listening on port " + endpoint.port() + "?";
        } else {
            message = "cannot connect to " + where + ": " + describe(cause);
        }
        return new HostUnreachableException(message, failure);
    }

    /**
     * A connection through a ProxyCommand that failed: a host key or login problem is the server's, as
     * without a proxy; anything else is told with what became of the command (exit status, last lines of
     * its stderr). The command is named by where it was configured, never by its text.
     */
    static HostUnreachableException throughProxy(Endpoint endpoint, Exception failure, KnownHostsVerifier verifier,
                                                 List<String> offeredKeys, Duration connectTimeout, boolean handshakeTimedOut,
                                                 ProxyCommandSocketFactory proxy) {
        HostUnreachableException hostKey = hostKeyRefusal(endpoint, verifier);
        if (hostKey != null) {
            return hostKey;
        }
        if (failure instanceof UserAuthException || rootOf(failure) instanceof UserAuthException) {
            return explain(endpoint, failure, verifier, offeredKeys, connectTimeout, false);
        }
        String command = "the ProxyCommand of " + endpoint.label() + " (" + proxy.proxy().origin() + ")";
        ProxyCommandSocket socket = proxy.started();
        String message;
        if (socket == null) {
            message = "cannot start " + command + ": " + describe(rootOf(failure));
        } else if (handshakeTimedOut) {
            message = "SSH handshake with " + endpoint.describe() + " through " + command + " did not finish within "
                    + seconds(connectTimeout) + "; the command was stopped: " + socket.fate(0);
        } else {
            message = "cannot connect to " + endpoint.describe() + " through " + command + ": " + describe(rootOf(failure))
                    + "; the command " + socket.fate(PROXY_EXIT_WAIT_MILLIS);
        }
        return new HostUnreachableException(message, failure);
    }

    static HostUnreachableException tunnelFailed(Endpoint bastion, Endpoint target, Exception failure) {
        Throwable cause = rootOf(failure);
        String reason = cause instanceof OpenFailException open ? open.getReason() + " " + describe(open) : describe(cause);
        return new HostUnreachableException(bastion.describe() + " could not open a connection to "
                + target.host() + ":" + target.port() + " for " + target.label() + ": " + reason, failure);
    }

    private static HostUnreachableException hostKeyRefusal(Endpoint endpoint, KnownHostsVerifier verifier) {
        if (verifier == null || verifier.refusal() == null) {
            return null;
        }
        String name = endpoint.knownHostsName();
        Path file = verifier.file();
        String presented = verifier.presentedKey();
        return switch (verifier.refusal()) {
            case UNKNOWN -> new HostUnreachableException("host key for " + endpoint.describe() + " is not in " + file
                    + "; verify it and add it, or run with --ssh-accept-new (the host presented " + presented + ")");
            case CHANGED -> new HostUnreachableException("HOST KEY CHANGED for " + endpoint.describe()
                    + " — possible man-in-the-middle; if the host was rebuilt, remove the old entry from " + file
                    + " (ssh-keygen -R '" + name + "' -f " + file + ") (the host now presents " + presented + ")");
            case REVOKED -> new HostUnreachableException("REVOKED HOST KEY for " + endpoint.describe() + ": the host presents "
                    + presented + ", a key (or the CA key of a certificate) that " + verifier.revokedBy()
                    + " marks @revoked; refusing to connect. Ask the host's administrator: a revoked key means the host or"
                    + " its CA was compromised or retired");
            case UNREADABLE -> new HostUnreachableException("cannot add the host key of " + endpoint.describe()
                    + " to " + file + "; check that the file and its directory are writable");
        };
    }

    private static Throwable rootOf(Throwable failure) {
        Throwable current = failure;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    private static String describe(Throwable t) {
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
