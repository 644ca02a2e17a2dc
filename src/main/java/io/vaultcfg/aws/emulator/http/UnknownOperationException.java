package io.vaultcfg.aws.emulator.http;

/** Thrown by a service for an action it does not implement; rendered per protocol. */
public final class UnknownOperationException extends RuntimeException {
    public UnknownOperationException(String action) {
        super(action, null, false, false);
    }
}
