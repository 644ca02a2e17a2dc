package io.vaultcfg.aws.emulator.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.auth.AuthFailure;

import java.io.IOException;
import java.util.Map;

/** awsJson1_1 (KMS): bodies, success responses and {@code {"__type":..,"message":..}} errors, all 400 as KMS does. */
public final class JsonProtocol implements WireProtocol {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    public static ObjectNode object() {
        return JSON.createObjectNode();
    }

    /** The request body as a JSON object; an empty body counts as {@code {}}. */
    public static JsonNode parseBody(byte[] body) {
        if (body.length == 0) {
            return object();
        }
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw JsonParams.serialization("Start of structure or map found where not expected.");
            }
            return node;
        } catch (IOException e) {
            throw JsonParams.serialization("The request body is not valid JSON.");
        }
    }

    public AwsResponse success(JsonNode body, String requestId) {
        try {
            return new AwsResponse(200, CONTENT_TYPE, JSON.writeValueAsBytes(body),
                    Map.of("x-amzn-RequestId", requestId), "OK");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AwsResponse error(String code, String message, int status, String requestId) {
        ObjectNode body = object().put("__type", code);
        // Real KMS capitalizes the member for AccessDeniedException only; the SDKs read either spelling.
        body.put(code.equals("AccessDeniedException") ? "Message" : "message", message);
        try {
            return new AwsResponse(status, CONTENT_TYPE, JSON.writeValueAsBytes(body),
                    Map.of("x-amzn-RequestId", requestId, "x-amzn-ErrorType", code), code);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public AwsResponse authFailure(AuthFailure failure, String message, String requestId) {
        String code = switch (failure) {
            case MISSING_AUTHENTICATION -> "MissingAuthenticationTokenException";
            case INCOMPLETE_SIGNATURE -> "IncompleteSignatureException";
            case UNKNOWN_ACCESS_KEY -> "UnrecognizedClientException";
            case EXPIRED_TOKEN -> "ExpiredTokenException";
            case BAD_SIGNATURE, SIGNATURE_EXPIRED, PAYLOAD_HASH_MISMATCH -> "InvalidSignatureException";
        };
        return error(code, message, 400, requestId);
    }

    @Override
    public AwsResponse accessDenied(String message, String requestId) {
        return error("AccessDeniedException", message, 400, requestId);
    }

    @Override
    public AwsResponse throttled(String requestId) {
        return error("ThrottlingException", "Rate exceeded", 400, requestId);
    }

    @Override
    public AwsResponse unknownOperation(String action, String requestId) {
        return error("UnknownOperationException", action == null ? "Missing X-Amz-Target header"
                : "Operation " + action + " is not supported.", 400, requestId);
    }

    @Override
    public AwsResponse internalFailure(String requestId) {
        return error("KMSInternalException", "The emulator failed to process the request.", 500, requestId);
    }

    @Override
    public String tooLargeCode() {
        return "RequestEntityTooLargeException";
    }
}
