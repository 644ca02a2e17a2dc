package io.vaultcfg.aws.emulator.auth;

/** Thrown when a request's credentials or signature are not acceptable. The detail never contains secrets. */
public final class AuthenticationException extends RuntimeException {
    private final AuthFailure failure;
    private final String accessKeyId;

    public AuthenticationException(AuthFailure failure, String accessKeyId, String detail) {
        super(detail, null, false, false);
        this.failure = failure;
        this.accessKeyId = accessKeyId;
    }

    public AuthFailure failure() {
        return failure;
    }

    public String accessKeyId() {
        return accessKeyId;
    }
}
