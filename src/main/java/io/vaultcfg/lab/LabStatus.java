package io.vaultcfg.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Reads a lab host's seal state (straight from its API) and how often its service was restarted. */
public record LabStatus(String host, String seal) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static LabStatus of(LabManifest.Host host) {
        return new LabStatus(host.name(), seal(host.vaultAddress()) + ", restarts: " + restarts(Path.of(host.root())));
    }

    public static String seal(String vaultAddress) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(vaultAddress + "/v1/sys/seal-status").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(3000);
            JsonNode status = JSON.readTree(connection.getInputStream());
            if (!status.path("initialized").asBoolean()) {
                return "not initialized (seal type " + status.path("type").asText() + ")";
            }
            return (status.path("sealed").asBoolean() ? "SEALED" : "unsealed") + " (seal type " + status.path("type").asText() + ")";
        } catch (IOException e) {
            return "not answering";
        }
    }

    public static boolean unsealed(String vaultAddress) {
        return seal(vaultAddress).startsWith("unsealed");
    }

    /** Counts "restart" lines in the systemctl stand-in's call log. */
    static long restarts(Path hostRoot) {
        Path state = hostRoot.resolve("var/lib/lab");
        if (!Files.isDirectory(state)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(state)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".log")).mapToLong(LabStatus::restartLines).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private static long restartLines(Path log) {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> line.matches(".*\\brestart\\b.*")).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
