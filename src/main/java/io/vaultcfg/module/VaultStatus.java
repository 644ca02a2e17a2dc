package io.vaultcfg.module;

import io.vaultcfg.json.PlainJson;
import java.util.Map;
import java.util.Optional;

/** The fields of {@code vault status -format=json} that decide what vaultcfg does. */
record VaultStatus(boolean initialized, boolean sealed, String sealType, String version) {
    /** Finds the JSON object in the command output (warnings may precede it). */
    static Optional<VaultStatus> parse(String output) {
        int start = output.indexOf('{');
        int end = output.lastIndexOf('}');
        if (start < 0 || end < start) {
            return Optional.empty();
        }
        Map<String, Object> status = PlainJson.parse(output.substring(start, end + 1)).map(PlainJson::object).orElse(Map.of());
        if (!status.containsKey("sealed")) {
            return Optional.empty();
        }
        return Optional.of(new VaultStatus(
                Boolean.TRUE.equals(status.get("initialized")),
                !Boolean.FALSE.equals(status.get("sealed")),
                text(status.get("type")),
                text(status.get("version"))));
    }

    /** The node's status, when a task of the play (vault_status) read it from the host. */
    static Optional<VaultStatus> in(io.vaultcfg.plan.HostFacts facts) {
        return facts.all(SealStatusFact.class).stream().flatMap(reading -> reading.status().stream()).findFirst();
    }

    private static String text(Object value) {
        return value instanceof String text ? text : "";
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
