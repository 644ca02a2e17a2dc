package io.vaultcfg.aws.emulator.http;

import io.vaultcfg.aws.emulator.auth.AuthFailure;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * awsQuery (IAM, STS): XML responses whose first child is {@code <ActionResult>} followed by
 * {@code ResponseMetadata}, and {@code <ErrorResponse><Error>..</Error></ErrorResponse>} errors.
 */
public final class QueryProtocol implements WireProtocol {
    public static final String IAM_NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/";
    public static final String STS_NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final String CONTENT_TYPE = "text/xml";

    private final String namespace;

    public QueryProtocol(String namespace) {
        this.namespace = namespace;
    }

    public AwsResponse success(String action, XmlWriter result, String requestId) {
        StringBuilder xml = new StringBuilder(256 + result.toString().length());
        xml.append("<").append(action).append("Response xmlns=\"").append(namespace).append("\">");
        if (!result.isEmpty()) {
            xml.append('<').append(action).append("Result>").append(result).append("</").append(action).append("Result>");
        }
        xml.append("<ResponseMetadata><RequestId>").append(requestId).append("</RequestId></ResponseMetadata>");
        xml.append("</").append(action).append("Response>");
        return new AwsResponse(200, CONTENT_TYPE, xml.toString().getBytes(StandardCharsets.UTF_8),
                Map.of("x-amzn-RequestId", requestId), "OK");
    }

    @Override
    public AwsResponse error(String code, String message, int status, String requestId) {
        String type = status >= 500 ? "Receiver" : "Sender";
        String xml = "<ErrorResponse xmlns=\"" + namespace + "\"><Error><Type>" + type + "</Type><Code>"
                + XmlWriter.escape(code) + "</Code><Message>" + XmlWriter.escape(message) + "</Message></Error>"
                + "<RequestId>" + requestId + "</RequestId></ErrorResponse>";
        return new AwsResponse(status, CONTENT_TYPE, xml.getBytes(StandardCharsets.UTF_8),
                Map.of("x-amzn-RequestId", requestId), code);
    }

    @Override
    public AwsResponse authFailure(AuthFailure failure, String message, String requestId) {
        return switch (failure) {
            case MISSING_AUTHENTICATION -> error("MissingAuthenticationToken", "Request is missing Authentication Token", 403, requestId);
            case INCOMPLETE_SIGNATURE -> error("IncompleteSignature", message, 400, requestId);
            case UNKNOWN_ACCESS_KEY -> error("InvalidClientTokenId", message, 403, requestId);
            case EXPIRED_TOKEN -> error("ExpiredToken", message, 403, requestId);
            case BAD_SIGNATURE, SIGNATURE_EXPIRED, PAYLOAD_HASH_MISMATCH -> error("SignatureDoesNotMatch", message, 403, requestId);
        };
    }

    @Override
    public AwsResponse accessDenied(String message, String requestId) {
        return error("AccessDenied", message, 403, requestId);
    }

    @Override
    public AwsResponse throttled(String requestId) {
        return error("Throttling", "Rate exceeded", 400, requestId);
    }

    @Override
    public AwsResponse unknownOperation(String action, String requestId) {
        return action == null
                ? error("MissingAction", "Missing Action", 400, requestId)
                : error("InvalidAction", "Could not find operation " + action + " for version "
                + (namespace.equals(IAM_NAMESPACE) ? "2010-05-08" : "2011-06-15"), 400, requestId);
    }

    @Override
    public AwsResponse internalFailure(String requestId) {
        return error("ServiceFailure", "The emulator failed to process the request.", 500, requestId);
    }

    @Override
    public String tooLargeCode() {
        return "RequestEntityTooLarge";
    }
}
