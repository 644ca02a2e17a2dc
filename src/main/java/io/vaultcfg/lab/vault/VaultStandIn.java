package io.vaultcfg.lab.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lab's {@code vault} command: {@code server -config=...}, {@code status [-format=json]} (exit 0
 * unsealed, 2 sealed, 1 error, like Vault) and {@code operator init}. Used where no real Vault or
 * OpenBao binary is installed.
 */
public final class VaultStandIn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VaultStandIn() {
    }

    public static void main(String[] args) throws IOException {
        System.exit(run(args));
    }

    static int run(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: vault server -config=FILE... | status [-format=json] | operator init");
            return 1;
        }
        switch (args[0]) {
            case "server": {
                List<Path> configs = new ArrayList<>();
                for (String arg : args) {
                    if (arg.startsWith("-config=")) {
                        configs.add(Path.of(arg.substring("-config=".length())));
                    }
                }
                return new StandInServer(StandInConfig.load(configs), System.getenv()).run();
            }
            case "status":
                return status();
            case "operator":
                return args.length > 1 && args[1].equals("init") ? init() : usage();
            default:
                return usage();
        }
    }

    private static int usage() {
        System.err.println("unsupported command");
        return 1;
    }

    private static int status() {
        try {
            HttpURLConnection connection = open("/v1/sys/seal-status", "GET");
            JsonNode body = JSON.readTree(connection.getInputStream());
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body).replace("\" : ", "\": "));
            return body.path("sealed").asBoolean(true) ? 2 : 0;
        } catch (IOException e) {
            System.err.println("Error checking seal status: Get \"" + address() + "/v1/sys/seal-status\": " + e.getMessage());
            return 1;
        }
    }

    private static int init() {
        try {
            HttpURLConnection connection = open("/v1/sys/init", "PUT");
            connection.setDoOutput(true);
            connection.getOutputStream().write("{\"recovery_shares\":1,\"recovery_threshold\":1}".getBytes(StandardCharsets.UTF_8));
            if (connection.getResponseCode() != 200) {
                System.err.println("Error initializing: " + new String(connection.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                return 2;
            }
            JsonNode body = JSON.readTree(connection.getInputStream());
            System.out.println("Recovery Key 1: " + body.path("recovery_keys_base64").path(0).asText());
            System.out.println();
            System.out.println("Initial Root Token: " + body.path("root_token").asText());
            System.out.println();
            System.out.println("Success! Vault is initialized");
            return 0;
        } catch (IOException e) {
            System.err.println("Error initializing: " + e.getMessage());
            return 2;
        }
    }

    private static HttpURLConnection open(String path, String method) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(address() + path).toURL().openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(2000);
        connection.setReadTimeout(5000);
        return connection;
    }

    private static String address() {
        String address = System.getenv("VAULT_ADDR");
        return address == null || address.isEmpty() ? "https://127.0.0.1:8200" : address;
    }
}
