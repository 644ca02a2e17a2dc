package io.vaultcfg.aws.emulator.auth;

/** An authorization failure; the message is AWS's "User: ... is not authorized to perform: ..." text. */
public final class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String message) {
        super(message, null, false, false);
    }

    public static AccessDeniedException of(Caller caller, String action, String resource, String reason) {
        return new AccessDeniedException("User: " + caller.arn() + " is not authorized to perform: " + action
                + " on resource: " + resource + (reason.isEmpty() ? "" : " " + reason));
    }
}
