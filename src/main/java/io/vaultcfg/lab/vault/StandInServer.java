package io.vaultcfg.lab.vault;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.KmsClientBuilder;

/**
 * A Vault stand-in for the lab: behaves like Vault's awskms seal. At start it calls DescribeKey (and
 * exits when that fails, as Vault does); {@code init} Encrypts a new root key with KMS and stores the
 * ciphertext; every later start Decrypts it and is unsealed, or stays sealed when KMS refuses.
 * It answers /v1/sys/seal-status, /v1/sys/health and /v1/sys/leader (no HA) with Vault's field names.
 */
final class StandInServer {
    static final String VERSION = "1.17.0+vaultcfg-standin";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final StandInConfig config;
    private final Map<String, String> env;
    private volatile boolean initialized;
    private volatile boolean sealed = true;
    private KmsClient kms;
    private String keyId;

    StandInServer(StandInConfig config, Map<String, String> env) {
        this.config = config;
        this.env = env;
    }

    /** Runs until the process is stopped; 1 when the seal cannot be set up (as Vault exits). */
    int run() throws IOException {
        HttpServer server = start();
        if (server == null) {
            return 1;
        }
        System.out.println("==> Vault stand-in started on " + config.listenAddress() + " (seal "
                + (kms == null ? "shamir" : "awskms") + ", " + (initialized ? sealed ? "sealed" : "unsealed" : "not initialized") + ")");
        try {
            Thread.currentThread().join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts serving; null when the awskms seal cannot be set up. */
    HttpServer start() throws IOException {
        Files.createDirectories(config.storagePath());
        Path barrier = barrierFile();
        initialized = Files.exists(barrier);
        if (config.awsKmsSeal().isPresent()) {
            Map<String, String> seal = config.awsKmsSeal().get();
            keyId = Optional.ofNullable(env.get("VAULT_AWSKMS_SEAL_KEY_ID")).orElse(seal.get("kms_key_id"));
            kms = kmsClient(seal);
            try {
                kms.describeKey(r -> r.keyId(keyId));
            } catch (SdkException e) {
                System.err.println("Error parsing Seal configuration: error fetching AWS KMS wrapping key information: "
                        + e.getMessage());
                return null;
            }
            if (initialized) {
                unsealFromKms(barrier);
            }
        }
        String[] hostPort = config.listenAddress().split(":");
        HttpServer server = HttpServer.create(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 50);
        server.createContext("/v1/sys/seal-status", exchange -> respond(exchange, 200, sealStatus()));
        server.createContext("/v1/sys/health", exchange -> respond(exchange,
                !initialized ? 501 : sealed ? 503 : 200, sealStatus()));
        // a single node without HA storage: vaultcfg rolls it as a standalone node, side by side with the others
        server.createContext("/v1/sys/leader", exchange -> respond(exchange, 200, JSON.createObjectNode()
                .put("ha_enabled", false).put("is_self", false).put("leader_address", "").put("leader_cluster_address", "")));
        server.createContext("/v1/sys/init", this::init);
        server.start();
        return server;
    }

    private void unsealFromKms(Path barrier) throws IOException {
        byte[] ciphertext = Base64.getDecoder().decode(Files.readString(barrier).trim());
        try {
            kms.decrypt(r -> r.ciphertextBlob(SdkBytes.fromByteArray(ciphertext)).keyId(keyId));
            sealed = false;
        } catch (SdkException e) {
            System.err.println("[ERROR] core: failed to unseal with awskms: " + e.getMessage());
            sealed = true;
        }
    }

    private void init(HttpExchange exchange) throws IOException {
        if (initialized) {
            respond(exchange, 400, JSON.createObjectNode().put("errors", "Vault is already initialized"));
            return;
        }
        if (kms == null) {
            respond(exchange, 400, JSON.createObjectNode().put("errors", "the stand-in only initializes with an awskms seal"));
            return;
        }
        byte[] rootKey = new byte[32];
        SecureRandom random = new SecureRandom();
        random.nextBytes(rootKey);
        byte[] ciphertext;
        try {
            ciphertext = kms.encrypt(r -> r.keyId(keyId).plaintext(SdkBytes.fromByteArray(rootKey))).ciphertextBlob().asByteArray();
        } catch (SdkException e) {
            respond(exchange, 500, JSON.createObjectNode().put("errors", "failed to encrypt with awskms: " + e.getMessage()));
            return;
        }
        Path temp = Files.createTempFile(config.storagePath(), ".barrier", ".tmp");
        Files.writeString(temp, Base64.getEncoder().encodeToString(ciphertext));
        Files.move(temp, barrierFile(), StandardCopyOption.ATOMIC_MOVE);
        Arrays.fill(rootKey, (byte) 0);
        initialized = true;
        sealed = false;
        byte[] recovery = new byte[32];
        random.nextBytes(recovery);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("keys");
        body.putArray("recovery_keys").add(HexFormat.of().formatHex(recovery));
        body.putArray("recovery_keys_base64").add(Base64.getEncoder().encodeToString(recovery));
        body.put("root_token", "hvs.standin" + HexFormat.of().formatHex(recovery, 0, 8));
        respond(exchange, 200, body);
    }

    private ObjectNode sealStatus() {
        ObjectNode status = JSON.createObjectNode();
        status.put("type", kms == null ? "shamir" : "awskms");
        status.put("initialized", initialized);
        status.put("sealed", sealed);
        status.put("t", 1);
        status.put("n", 1);
        status.put("progress", 0);
        status.put("nonce", "");
        status.put("version", VERSION);
        status.put("build_date", "2026-01-01T00:00:00Z");
        status.put("migration", false);
        status.put("recovery_seal", kms != null);
        status.put("storage_type", "file");
        return status;
    }

    private Path barrierFile() {
        return config.storagePath().resolve("standin-barrier");
    }

    private KmsClient kmsClient(Map<String, String> seal) {
        String region = Optional.ofNullable(seal.get("region")).or(() -> Optional.ofNullable(env.get("AWS_REGION")))
                .or(() -> Optional.ofNullable(env.get("AWS_DEFAULT_REGION"))).orElse("us-east-1");
        KmsClientBuilder builder = KmsClient.builder().region(Region.of(region)).httpClient(UrlConnectionHttpClient.create());
        Optional.ofNullable(env.get("AWSKMS_ENDPOINT")).or(() -> Optional.ofNullable(env.get("AWS_KMS_ENDPOINT")))
                .or(() -> Optional.ofNullable(seal.get("endpoint"))).filter(e -> !e.isEmpty())
                .ifPresent(endpoint -> builder.endpointOverride(URI.create(endpoint)));
        return builder.build();
    }

    private static void respond(HttpExchange exchange, int status, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

}
