package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.AwsServiceException;

/** IAM's modeled errors with their HTTP statuses (service-2.json {@code httpStatusCode}). */
public final class IamErrors {
    private IamErrors() {
    }

    public static AwsServiceException noSuchEntity(String message) {
        return new AwsServiceException("NoSuchEntity", message, 404);
    }

    public static AwsServiceException alreadyExists(String message) {
        return new AwsServiceException("EntityAlreadyExists", message, 409);
    }

    public static AwsServiceException limitExceeded(String message) {
        return new AwsServiceException("LimitExceeded", message, 409);
    }

    public static AwsServiceException deleteConflict(String message) {
        return new AwsServiceException("DeleteConflict", message, 409);
    }

    public static AwsServiceException malformedPolicy(String message) {
        return new AwsServiceException("MalformedPolicyDocument", message, 400);
    }

    public static AwsServiceException invalidInput(String message) {
        return new AwsServiceException("InvalidInput", message, 400);
    }

    public static AwsServiceException validation(String message) {
        return new AwsServiceException("ValidationError", message, 400);
    }
}
