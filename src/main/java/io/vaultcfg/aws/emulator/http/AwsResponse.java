package io.vaultcfg.aws.emulator.http;

import java.util.Map;

/** What goes back on the wire. {@code outcome} is "OK" or the error code, for the request log. */
public record AwsResponse(int status, String contentType, byte[] body, Map<String, String> headers, String outcome) {
}
