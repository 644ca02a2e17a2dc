package io.vaultcfg.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** An AWS problem explained so an operator can act on it; never carries a secret. */
public final class AwsFailure extends RuntimeException {
    public AwsFailure(String message) {
        super(message);
    }

    /** Wraps an SDK error raised while calling {@code action} (e.g. "kms:DescribeKey"). */
    public static AwsFailure of(String action, SdkException e) {
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            if (code.startsWith("AccessDenied")) {
                return new AwsFailure("the provisioning identity is not allowed to call " + action
                        + " (AccessDenied); grant it " + action + " or use another profile/role");
            }
            String message = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorMessage();
            return new AwsFailure(action + " failed: " + code + (message == null || message.isEmpty() ? "" : ": " + message));
        }
        if (e instanceof SdkClientException) {
            return new AwsFailure(action + " failed: cannot reach AWS (" + e.getMessage() + ")");
        }
        return new AwsFailure(action + " failed: " + e.getMessage());
    }
}
