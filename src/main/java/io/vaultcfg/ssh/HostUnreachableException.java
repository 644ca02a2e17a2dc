package io.vaultcfg.ssh;

/** The host could not be reached or refused us: connection, host key or authentication. */
public class HostUnreachableException extends Exception {
    public HostUnreachableException(String message) {
        super(message);
    }

    public HostUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
