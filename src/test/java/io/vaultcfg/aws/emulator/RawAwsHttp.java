package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Hand-made HTTP requests for inputs no SDK would send, signed with the AWS SDK's own SigV4 signer so that they
 * get past authentication exactly like a real client's.
 */
final class RawAwsHttp {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI endpoint;
    private final AccessKeyPair credentials;
    private volatile Map<String, java.util.List<String>> lastSignedHeaders = Map.of();

    RawAwsHttp(URI endpoint, AccessKeyPair credentials) {
        this.endpoint = endpoint;
        this.credentials = credentials;
    }

    HttpResponse<String> kms(String target, String jsonBody) throws Exception {
        return signedPost("kms", Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", target), jsonBody);
    }

    HttpResponse<String> iam(String formBody) throws Exception {
        return signedPost("iam", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), formBody);
    }

    HttpResponse<String> sts(String formBody) throws Exception {
        return signedPost("sts", Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), formBody);
    }

    HttpResponse<String> signedPost(String service, Map<String, String> headers, String body) throws Exception {
        return signedPost(service, "us-east-2", true, headers, body, body);
    }

    /**
     * Signs {@code signedBody} but sends {@code sentBody}, in {@code region}; with {@code signPayload=false} the
     * SDK signs {@code UNSIGNED-PAYLOAD} instead of the body's hash.
     */
    HttpResponse<String> signedPost(String service, String region, boolean signPayload, Map<String, String> headers,
                                    String signedBody, String sentBody) throws Exception {
        byte[] bytes = signedBody.getBytes(StandardCharsets.UTF_8);
        // The SDK signer only uses UNSIGNED-PAYLOAD over https; same host and port, so the signature still fits.
        URI signedUri = signPayload ? endpoint : URI.create("https://" + endpoint.getAuthority() + "/");
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(signedUri);
        headers.forEach(unsigned::putHeader);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload));
        lastSignedHeaders = signed.request().headers();
        return send(signed.request().headers(), Map.of(), sentBody);
    }

    /**
     * Signs a KMS request for {@code signedTarget} with the SDK's signer, then sends it with {@code X-Amz-Target}
     * replaced by {@code sentTarget}: a captured request replayed as another action.
     */
    HttpResponse<String> kmsSignedAsOtherTarget(String signedTarget, String sentTarget, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(endpoint)
                .putHeader("Content-Type", "application/x-amz-json-1.1").putHeader("X-Amz-Target", signedTarget);
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(credentials.accessKeyId(), credentials.secretAccessKey()))
                .request(unsigned.build())
                .payload(ContentStreamProvider.fromByteArray(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "kms")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-2"));
        return send(signed.request().headers(), Map.of("X-Amz-Target", sentTarget), body);
    }

    private HttpResponse<String> send(Map<String, java.util.List<String>> signedHeaders, Map<String, String> replaced,
                                      String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
        signedHeaders.forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
                String replacement = replaced.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                        .map(Map.Entry::getValue).findFirst().orElse(null);
                if (replacement != null) {
                    request.header(name, replacement);
                } else {
                    values.forEach(value -> request.header(name, value));
                }
            }
        });
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A KMS request signed by hand with the SigV4 arithmetic (checked against AWS's published example in
     * {@link SigV4VerifierTest}), for what the SDK signer never produces: a chosen list of signed headers and a
     * credential-scope date other than the {@code X-Amz-Date} day ({@code scopeDate} null means that day).
     * {@code extraHeaders} are sent as given.
     */
    HttpResponse<String> kmsSignedByHand(String target, String body, java.util.List<String> signedHeaderNames,
                                         String scopeDate, Map<String, String> extraHeaders) throws Exception {
        return kmsSignedByHand(target, target, body, signedHeaderNames, scopeDate, extraHeaders);
    }

    /** As above, but sent with {@code X-Amz-Target: sentTarget} after signing for {@code target}. */
    HttpResponse<String> kmsSignedByHand(String target, String sentTarget, String body,
                                         java.util.List<String> signedHeaderNames, String scopeDate,
                                         Map<String, String> extraHeaders) throws Exception {
        String amzDate = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC));
        Map<String, java.util.List<String>> headers = new java.util.LinkedHashMap<>();
        headers.put("content-type", java.util.List.of("application/x-amz-json-1.1"));
        headers.put("host", java.util.List.of(endpoint.getAuthority()));
        headers.put("x-amz-date", java.util.List.of(amzDate));
        headers.put("x-amz-target", java.util.List.of(target));
        extraHeaders.forEach((name, value) -> headers.put(name.toLowerCase(java.util.Locale.ROOT), java.util.List.of(value)));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        io.vaultcfg.aws.emulator.request.AwsRequest request =
                new io.vaultcfg.aws.emulator.request.AwsRequest("POST", "/", null, headers, bytes);
        java.util.List<String> signedNames = signedHeaderNames.stream().sorted().toList();
        var scope = new io.vaultcfg.aws.emulator.auth.SigV4Verifier.ParsedAuthorization(credentials.accessKeyId(),
                scopeDate == null ? amzDate.substring(0, 8) : scopeDate, "us-east-2", "kms", signedNames, "");
        String signature = io.vaultcfg.aws.emulator.auth.SigV4Verifier.sign(
                io.vaultcfg.aws.emulator.auth.SigV4Verifier.canonicalRequest(request, signedNames), amzDate, scope,
                credentials.secretAccessKey());
        Map<String, java.util.List<String>> sent = new java.util.LinkedHashMap<>(headers);
        sent.put("authorization", java.util.List.of("AWS4-HMAC-SHA256 Credential=" + credentials.accessKeyId() + "/"
                + scope.scope() + ", SignedHeaders=" + String.join(";", signedNames) + ", Signature=" + signature));
        return send(sent, Map.of("x-amz-target", sentTarget), body);
    }


    /** Headers of the last request signed, as the SDK signer produced them. */
    Map<String, java.util.List<String>> lastSignedHeaders() {
        return lastSignedHeaders;
    }

    HttpResponse<String> unsignedPost(Map<String, String> headers, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Announces and streams {@code contentLength} bytes like a client uploading a huge body, and returns the raw
     * response text. The server may stop reading early, so write failures are expected and ignored.
     */
    String sendOversized(Map<String, String> headers, long contentLength) throws Exception {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(10_000);
            StringBuilder head = new StringBuilder("POST / HTTP/1.1\r\nHost: " + endpoint.getAuthority() + "\r\n");
            headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
            head.append("Content-Length: ").append(contentLength).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread uploader = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                try {
                    for (long sent = 0; sent < contentLength; sent += chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, contentLength - sent));
                    }
                } catch (IOException expected) {
                    // the server answered and closed without reading everything
                }
            });
            uploader.setDaemon(true);
            uploader.start();
            java.io.ByteArrayOutputStream response = new java.io.ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = in.read(buffer)) != -1; ) {
                    response.write(buffer, 0, read);
                    if (response.toString(StandardCharsets.UTF_8).matches("(?s).*\\r\\n\\r\\n.*(}|</ErrorResponse>)$")) {
                        break;
                    }
                }
            } catch (java.net.SocketException reset) {
                // a reset after the response arrived is fine: the server refused the rest of the body
            }
            uploader.join(10_000);
            return response.toString(StandardCharsets.UTF_8);
        }
    }
}
