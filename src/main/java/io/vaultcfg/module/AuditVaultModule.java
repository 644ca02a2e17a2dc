package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code audit_vault}: read-only check that the node is initialized, unsealed and on the expected seal type
 * ({@code awskms}), from the seal status it answers without a token (the same probe as {@code vault_status}, read
 * once, never waited for). A node whose status cannot be read is an error, not a finding: the audit could not tell.
 */
final class AuditVaultModule implements Module {
    @Override
    public String name() {
        return "audit_vault";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("address", "ca_cert", "binary", "probe", "seal_type");
    }

    @Override
    public Action prepare(TaskInput input) {
        String address = input.requireString("address");
        if (!address.matches("https?://[^\\s]+")) {
            throw input.error("address", "expected a URL such as https://127.0.0.1:8200");
        }
        String probe = input.optionalString("probe").orElse("auto");
        if (!List.of("auto", "http", "cli").contains(probe)) {
            throw input.error("probe", "expected one of auto, http, cli");
        }
        String binary = input.optionalString("binary").orElse("vault");
        SealStatusFact status = new SealStatusFact(VaultStatusModule.statusCommand(address,
                input.optionalString("ca_cert").filter(ca -> !ca.isBlank()), binary, probe), VaultStatusModule.probeBudget(probe));
        return new Check(status, binary, input.optionalString("seal_type").orElse("awskms"));
    }

    private record Check(SealStatusFact status, String binary, String sealType) implements Action {
        @Override
        public List<Fact<?>> facts() {
            return List.of(status);
        }

        @Override
        public Step plan(PlanContext context) {
            SealStatusFact.Reading reading = context.facts().get(status);
            Optional<VaultStatus> answer = reading.status();
            if (answer.isEmpty()) {
                return Step.failed(reading.probeMissing() ? binary + " not found on the host (set vault_binary)"
                        : "cannot read the seal status: " + RemoteAction.OutcomeReader.lastLines(reading.output()));
            }
            VaultStatus node = answer.get();
            if (!node.initialized()) {
                return AuditFinding.of("not initialized (seal type " + node.sealType() + ")");
            }
            if (!node.sealType().equals(sealType)) {
                return AuditFinding.of("seal type " + node.sealType() + ", should be " + sealType
                        + (node.sealed() ? "; sealed" : ""));
            }
            if (node.sealed()) {
                return AuditFinding.of(node.describe());
            }
            return Step.ok(node.describe());
        }
    }
}
