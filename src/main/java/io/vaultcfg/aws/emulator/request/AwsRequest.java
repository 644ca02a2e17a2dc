package io.vaultcfg.aws.emulator.request;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request as received. Header names are lower-cased; values are kept exactly as sent, because
 * SigV4 signs them that way. {@code source} is the address the connection came from (null when unknown).
 */
public record AwsRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body,
                         InetAddress source) {

    public AwsRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        this(method, rawPath, rawQuery, headers, body, null);
    }

    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** All values of a header joined with commas, the way SigV4 canonicalizes repeated headers. */
    public String joinedHeader(String name) {
        List<String> values = headers.get(name);
        return values == null ? null : String.join(",", values);
    }
}
