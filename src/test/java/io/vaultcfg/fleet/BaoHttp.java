package io.vaultcfg.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.vault.NodeAnswer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * OpenBao's HTTP API from the controller, for the test ground. A request carrying a secret (an unseal key, the
 * root token) or answering one ({@code sys/init}) fails with its path and status only, never its body.
 */
final class BaoHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** sys/init and the first writes wait for raft to elect and commit, which takes seconds on a busy machine. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(30);
    private static final java.util.Set<String> SECRET_PATHS = java.util.Set.of("sys/init", "sys/unseal");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    /** A token-less GET: whatever the node answered (OpenBao's status codes encode its state). */
    NodeAnswer get(String address, String path) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/v1/" + path)).timeout(TIMEOUT).GET().build();
        HttpResponse<String> response = send(request, path);
        return new NodeAnswer(response.statusCode(), response.body());
    }

    /** A GET with {@code token}; the JSON of a 2xx answer. */
    JsonNode read(String address, String path, String token) throws IOException {
        return call(address, path, token, "GET", null);
    }

    /** A PUT or POST of {@code body} (a JSON-able value, possibly holding a secret); the JSON of a 2xx answer. */
    JsonNode write(String address, String path, String token, Object body) throws IOException {
        return call(address, path, token, "POST", body);
    }

    private JsonNode call(String address, String path, String token, String method, Object body) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(address + "/v1/" + path))
                .timeout(body == null ? TIMEOUT : WRITE_TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            builder.header("X-Vault-Token", token);
        }
        HttpResponse<String> response = send(builder.build(), path);
        if (response.statusCode() / 100 != 2) {
            // An error could echo what was sent: for the paths that carry a key, the status alone.
            throw new IOException(method + " " + path + " on " + address + " answered HTTP " + response.statusCode()
                    + (SECRET_PATHS.contains(path) ? "" : ": " + errors(response.body())));
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    private static String errors(String body) {
        try {
            return JSON.readTree(body).path("errors").toString();
        } catch (IOException e) {
            return "(no JSON)";
        }
    }

    private HttpResponse<String> send(HttpRequest request, String path) throws IOException {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + path, e);
        }
    }
}
