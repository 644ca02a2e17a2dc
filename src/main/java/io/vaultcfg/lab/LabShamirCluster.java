package io.vaultcfg.lab;

import io.vaultcfg.json.PlainJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lab up --cluster N --seal shamir}: the lab's raft cluster of real OpenBao nodes made into what most teams
 * run before they adopt KMS auto-unseal: initialized with Shamir keys (5 shares, threshold 3), every node unsealed,
 * a KV v2 secret written. The keys and root token are kept for the lab only, owner-only files under the lab's
 * directory; a request that carries one fails with its path and status only.
 */
public final class LabShamirCluster {
    public static final int SHARES = 5;
    public static final int THRESHOLD = 3;
    public static final String SECRET_PATH = "secret/data/lab/app";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> addresses;
    private final LabLayout layout;

    private LabShamirCluster(List<String> addresses, LabLayout layout) {
        this.addresses = List.copyOf(addresses);
        this.layout = layout;
    }

    /** Where the unseal keys are kept (one per line), owner-only. */
    public static Path keysFile(LabLayout layout) {
        return layout.dir().resolve("unseal-keys");
    }

    public static Path rootTokenFile(LabLayout layout) {
        return layout.dir().resolve("root-token");
    }

    /** Initializes the cluster of these nodes (API addresses, the first one initialized), unseals it, writes data. */
    public static void initialize(List<String> addresses, LabLayout layout) throws IOException, InterruptedException {
        new LabShamirCluster(addresses, layout).run();
    }

    private void run() throws IOException, InterruptedException {
        String first = addresses.get(0);
        await(first, "answers", status -> true);
        Map<String, Object> init = call(first, "PUT", "sys/init", null,
                "{\"secret_shares\":" + SHARES + ",\"secret_threshold\":" + THRESHOLD + "}");
        List<String> keys = new ArrayList<>();
        if (init.get("keys_base64") instanceof List<?> list) {
            list.forEach(key -> keys.add(String.valueOf(key)));
        }
        String token = String.valueOf(init.get("root_token"));
        ownerOnly(keysFile(layout), String.join("\n", keys) + "\n");
        ownerOnly(rootTokenFile(layout), token + "\n");
        unseal(first, keys);
        awaitActive(first);
        for (String node : addresses.subList(1, addresses.size())) {
            // a joining node asks the leader for a challenge only the unseal keys open
            await(node, "joined", status -> Boolean.TRUE.equals(status.get("initialized")));
            unseal(node, keys);
        }
        for (String node : addresses) {
            await(node, "unsealed", status -> Boolean.FALSE.equals(status.get("sealed")));
        }
        // autopilot makes a joined node a voter after server_stabilization_time (10 s by default); only a voter
        // can take over from the active node, as the seal migration needs
        call(first, "POST", "sys/storage/raft/autopilot/configuration", token, "{\"server_stabilization_time\":\"1s\"}");
        awaitVoters(first, token);
        call(first, "POST", "sys/mounts/secret", token, "{\"type\":\"kv\",\"options\":{\"version\":\"2\"}}");
        retry(() -> call(first, "POST", SECRET_PATH, token, "{\"data\":{\"greeting\":\"written before the migration\"}}"));
    }

    private void awaitVoters(String node, String token) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            Map<String, Object> answer = call(node, "GET", "sys/storage/raft/configuration", token, null);
            Object servers = PlainJson.object(PlainJson.object(answer.get("data")).get("config")).get("servers");
            if (servers instanceof List<?> list && list.size() == addresses.size()
                    && list.stream().allMatch(server -> Boolean.TRUE.equals(PlainJson.object(server).get("voter")))) {
                return;
            }
            Thread.sleep(300);
        }
        throw new IOException("the nodes did not all become raft voters within " + TIMEOUT.toSeconds() + " s");
    }

    private void unseal(String node, List<String> keys) throws IOException, InterruptedException {
        for (String key : keys.subList(0, THRESHOLD)) {
            Map<String, Object> answer = call(node, "PUT", "sys/unseal", null, "{\"key\":\"" + key + "\"}");
            if (Boolean.FALSE.equals(answer.get("sealed"))) {
                return;
            }
        }
    }

    private void awaitActive(String node) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> health = send(node, "GET", "sys/health", null, null);
            if (health.statusCode() == 200) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException(node + " did not become active within " + TIMEOUT.toSeconds() + " s");
    }

    private void await(String node, String what, java.util.function.Predicate<Map<String, Object>> wanted)
            throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> answer = send(node, "GET", "sys/seal-status", null, null);
                Map<String, Object> status = PlainJson.parse(answer.body()).map(PlainJson::object).orElse(Map.of());
                if (answer.statusCode() == 200 && wanted.test(status)) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IOException(node + " not " + what + " within " + TIMEOUT.toSeconds() + " s");
    }

    private interface Call {
        Map<String, Object> run() throws IOException, InterruptedException;
    }

    /** A new KV v2 mount answers "upgrading" for a moment. */
    private static void retry(Call call) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            try {
                call.run();
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(300);
            }
        }
    }

    private Map<String, Object> call(String node, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpResponse<String> answer = send(node, method, path, token, body);
        if (answer.statusCode() / 100 != 2) {
            // an answer to a request with a key or the token is not shown: it could echo it
            throw new IOException(method + " " + path + " on " + node + " answered HTTP " + answer.statusCode());
        }
        return PlainJson.parse(answer.body()).map(PlainJson::object).orElse(Map.of());
    }

    private HttpResponse<String> send(String node, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(node + "/v1/" + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        Optional.ofNullable(token).ifPresent(value -> request.header("X-Vault-Token", value));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static void ownerOnly(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, content);
    }
}
