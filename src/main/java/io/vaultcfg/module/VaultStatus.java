package io.vaultcfg.module;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Optional;

/** The fields of {@code vault status -format=json} that decide what vaultcfg does. */
record VaultStatus(boolean initialized, boolean sealed, String sealType, String version) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Finds the JSON object in the command output (warnings may precede it). */
    static Optional<VaultStatus> parse(String output) {
        int start = output.indexOf('{');
        int end = output.lastIndexOf('}');
        if (start < 0 || end < start) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(output.substring(start, end + 1));
            if (!node.has("sealed")) {
                return Optional.empty();
            }
            return Optional.of(new VaultStatus(
                    node.path("initialized").asBoolean(false),
                    node.path("sealed").asBoolean(true),
                    node.path("type").asText(""),
                    node.path("version").asText("")));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    boolean isShamirInitialized() {
        return initialized && sealType.equals("shamir");
    }

    String describe() {
        if (!initialized) {
            return "not initialized: ready for init (seal type " + sealType + ")";
        }
        return (sealed ? "sealed" : "unsealed") + " (seal type " + sealType + (version.isEmpty() ? "" : ", version " + version) + ")";
    }
}
