package io.vaultcfg.aws.emulator.http;

/**
 * An AWS-shaped client error: the error code ({@code __type} for JSON, {@code <Code>} for XML), its message,
 * and the HTTP status to send. Messages never include secrets or plaintext.
 */
public class AwsServiceException extends RuntimeException {
    private final String code;
    private final int status;

    public AwsServiceException(String code, String message, int status) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }
}
