package io.vaultcfg.aws.emulator.request;

import java.util.List;
import java.util.Map;

/**
 * One HTTP request as received. Header names are lower-cased; values are kept exactly as sent, because
 * SigV4 signs them that way.
 */
public record AwsRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

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
