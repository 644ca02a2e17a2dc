package io.vaultcfg.aws.emulator.http;

import io.vaultcfg.aws.emulator.auth.AuthFailure;

/** Renders errors the way one AWS protocol (awsJson or awsQuery) does; each maps cross-cutting failures to its codes. */
public interface WireProtocol {

    AwsResponse error(String code, String message, int status, String requestId);

    AwsResponse authFailure(AuthFailure failure, String message, String requestId);

    AwsResponse accessDenied(String message, String requestId);

    AwsResponse throttled(String requestId);

    AwsResponse unknownOperation(String action, String requestId);

    AwsResponse internalFailure(String requestId);

    default AwsResponse error(AwsServiceException e, String requestId) {
        return error(e.code(), e.getMessage(), e.status(), requestId);
    }

    default AwsResponse tooLarge(long maxBytes, String requestId) {
        return error(tooLargeCode(), "Request body exceeds the maximum size of " + maxBytes + " bytes.", 413, requestId);
    }

    String tooLargeCode();
}
