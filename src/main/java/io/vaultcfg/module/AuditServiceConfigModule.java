package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.Step;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code audit_service_config}: read-only checks of what the Vault unit really loads ({@link ServiceConfigFact}, the
 * adoption's read: unit file, drop-ins, {@code -config} files, env files). {@code check: credentials}: no seal stanza
 * of any HCL or JSON file the server loads holds {@code access_key} or {@code secret_key} (they belong in the 0600 env
 * file). {@code check: drop_in}: systemd loaded the drop-in (in {@code DropInPaths}, no daemon-reload pending). Never
 * shows a value of those files.
 */
final class AuditServiceConfigModule implements Module {
    private static final List<String> CREDENTIALS = List.of("access_key", "secret_key");

    @Override
    public String name() {
        return "audit_service_config";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("check", "service", "unit_dir", "env_file", "seal_file", "drop_in");
    }

    @Override
    public Action prepare(TaskInput input) {
        String check = input.requireString("check");
        if (!List.of("credentials", "drop_in").contains(check)) {
            throw input.error("check", "expected credentials or drop_in");
        }
        String unitDir = input.optionalString("unit_dir").orElse("/etc/systemd/system");
        ServiceConfigFact fact = new ServiceConfigFact(input.requireString("service"), unitDir);
        String envFile = input.optionalString("env_file").orElse("");
        String sealFile = input.optionalString("seal_file").orElse("");
        if (check.equals("drop_in")) {
            String dropIn = input.requireString("drop_in");
            if (!dropIn.startsWith("/")) {
                throw input.error("drop_in", "expected an absolute path");
            }
            return new DropInCheck(fact, envFile, sealFile, dropIn, input.redactor());
        }
        return new CredentialsCheck(fact, envFile, sealFile, input.redactor());
    }

    private static EffectiveServiceConfig effective(PlanContext context, ServiceConfigFact fact, String envFile, String sealFile,
                                                    Redactor redactor) {
        EffectiveServiceConfig config = EffectiveServiceConfig.of(context.facts().get(fact), fact.unitDir(), envFile, sealFile);
        SealSecrets.register(config, redactor);
        return config;
    }

    private record CredentialsCheck(ServiceConfigFact fact, String envFile, String sealFile, Redactor redactor) implements Action {
        @Override
        public List<Fact<?>> facts() {
            return List.of(fact);
        }

        @Override
        public Step plan(PlanContext context) {
            EffectiveServiceConfig config = effective(context, fact, envFile, sealFile, redactor);
            if (!config.found()) {
                return AuditFinding.of("systemd does not know " + fact.systemdUnit());
            }
            List<String> holding = new ArrayList<>();
            for (SealStanzas.Seal seal : config.seals()) {
                List<String> held = CREDENTIALS.stream().filter(name -> seal.attribute(name).isPresent()).toList();
                if (!held.isEmpty()) {
                    holding.add(seal + " holds " + String.join(" and ", held));
                }
            }
            if (!holding.isEmpty()) {
                return AuditFinding.of(String.join("; ", holding) + " (the access key belongs in the env file, mode 0600, "
                        + "read by the service only, not in a configuration file)");
            }
            if (!config.unreadable().isEmpty()) {
                return Step.failed("cannot tell: " + String.join("; ", config.unreadable()));
            }
            return Step.ok(config.configs().size() + (config.configs().size() == 1 ? " configuration file" : " configuration files")
                    + " loaded, none with credentials: " + String.join(", ", config.configs().keySet()));
        }
    }

    private record DropInCheck(ServiceConfigFact fact, String envFile, String sealFile, String dropIn, Redactor redactor)
            implements Action {
        @Override
        public List<Fact<?>> facts() {
            return List.of(fact);
        }

        @Override
        public Step plan(PlanContext context) {
            ServiceConfigRead read = context.facts().get(fact);
            if (!read.unitFound()) {
                return AuditFinding.of("systemd does not know " + fact.systemdUnit());
            }
            String unit = fact.systemdUnit();
            boolean onDisk = Optional.ofNullable(read.units().get(dropIn)).filter(file -> file.state().exists()).isPresent();
            boolean loaded = Arrays.asList(read.unitProperties().getOrDefault("DropInPaths", "").split(" ")).contains(dropIn);
            if (onDisk && !loaded) {
                return AuditFinding.of(dropIn + " is on disk but systemd has not loaded it: systemctl daemon-reload, then "
                        + "restart " + unit + " one node at a time (vaultcfg apply does both)");
            }
            if (!onDisk && loaded) {
                return AuditFinding.of("systemd still loads " + dropIn + ", which is gone: systemctl daemon-reload");
            }
            if (read.needsDaemonReload()) {
                return AuditFinding.of(unit + "'s files changed since systemd loaded them: systemctl daemon-reload");
            }
            if (loaded) {
                return Step.ok(dropIn + " loaded by systemd");
            }
            EffectiveServiceConfig config = effective(context, fact, envFile, sealFile, redactor);
            if (FleetSealReadings.held(config).isPresent() && FleetSealReadings.stanza(config).isPresent()) {
                return Step.ok("no vaultcfg drop-in: " + unit + " loads its seal stanza and access key itself ("
                        + String.join(", ", config.envFiles().keySet()) + ")");
            }
            return AuditFinding.of(dropIn + " is missing, and " + unit + " loads no awskms seal with an access key of its own");
        }
    }
}
