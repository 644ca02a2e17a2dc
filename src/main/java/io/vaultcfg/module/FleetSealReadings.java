package io.vaultcfg.module;

import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.aws.SealStanza;
import io.vaultcfg.module.EffectiveServiceConfig.Sourced;
import io.vaultcfg.plan.ControllerAction.FleetHost;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The controller's view of every host's seal set-up as its service loads it ({@link ServiceConfigFact}, read in the
 * same round trip as the other facts): the stanza and access key each host really uses, and — once AWS is planned —
 * the hosts {@link SealAdoption} refuses, so the play stops before any AWS write, and what is adopted where.
 */
final class FleetSealReadings {
    private final Function<Map<String, Object>, String> service;
    private final Function<Map<String, Object>, String> unitDir;
    private final Function<Map<String, Object>, String> envFile;
    private final Function<Map<String, Object>, Optional<String>> sealFile;
    private final Function<Map<String, Object>, Optional<String>> endpoint;

    FleetSealReadings(Function<Map<String, Object>, String> service, Function<Map<String, Object>, String> unitDir,
                      Function<Map<String, Object>, String> envFile, Function<Map<String, Object>, Optional<String>> sealFile,
                      Function<Map<String, Object>, Optional<String>> endpoint) {
        this.service = service;
        this.unitDir = unitDir;
        this.envFile = envFile;
        this.sealFile = sealFile;
        this.endpoint = endpoint;
    }

    /** Empty when the task names no {@code service}: the unit is then not read and vaultcfg's own files are all there is. */
    static Optional<FleetSealReadings> from(TaskInput input, Function<Map<String, Object>, String> envFile,
                                            Function<Map<String, Object>, Optional<String>> sealFile) {
        if (input.optionalString("service").isEmpty()) {
            return Optional.empty();
        }
        Function<Map<String, Object>, String> service = AwsTaskArgs.perHost(input, "service");
        Function<Map<String, Object>, String> unitDir = input.task().args().containsKey("unit_dir")
                ? AwsTaskArgs.perHost(input, "unit_dir") : vars -> "/etc/systemd/system";
        Function<Map<String, Object>, String> endpoint = input.task().args().containsKey("seal_endpoint")
                ? AwsTaskArgs.perHost(input, "seal_endpoint") : vars -> "";
        return Optional.of(new FleetSealReadings(service, unitDir, envFile, sealFile,
                vars -> Optional.of(endpoint.apply(vars)).filter(text -> !text.isEmpty())));
    }

    List<Fact<?>> facts(Map<String, Object> vars) {
        return List.of(fact(vars));
    }

    private ServiceConfigFact fact(Map<String, Object> vars) {
        return new ServiceConfigFact(service.apply(vars), unitDir.apply(vars));
    }

    /** What a read host's service loads; empty when its unit is unknown (vaultcfg's own files are then all there is). */
    Optional<EffectiveServiceConfig> effective(FleetHost host, Redactor redactor) {
        if (host.facts() == null || !host.facts().commands().containsKey(fact(host.vars()))) {
            return Optional.empty();
        }
        EffectiveServiceConfig config = EffectiveServiceConfig.of(host.facts().get(fact(host.vars())), unitDir.apply(host.vars()),
                envFile.apply(host.vars()), sealFile.apply(host.vars()).orElse(""));
        SealSecrets.register(config, redactor);
        return config.found() ? Optional.of(config) : Optional.empty();
    }

    /** The access key pair the service gets from its env files. */
    static Optional<HeldCredentials> held(EffectiveServiceConfig config) {
        Map<String, Sourced> variables = config.variables();
        return Optional.ofNullable(variables.get("AWS_ACCESS_KEY_ID")).flatMap(id -> Optional.ofNullable(variables.get("AWS_SECRET_ACCESS_KEY"))
                .filter(secret -> !id.value().isEmpty() && !secret.value().isEmpty())
                .map(secret -> new HeldCredentials(id.value(), secret.value())));
    }

    /** The one awskms stanza the service loads, with the region Vault would use. */
    static Optional<SealStanza> stanza(EffectiveServiceConfig config) {
        if (config.seals().size() != 1 || !config.seals().get(0).type().equals("awskms")) {
            return Optional.empty();
        }
        SealStanzas.Seal seal = config.seals().get(0);
        Map<String, Sourced> variables = config.variables();
        Optional<String> key = Optional.ofNullable(variables.get("VAULT_AWSKMS_SEAL_KEY_ID"))
                .or(() -> Optional.ofNullable(variables.get("BAO_AWSKMS_SEAL_KEY_ID"))).map(Sourced::value)
                .or(() -> seal.attribute("kms_key_id"));
        Optional<String> region = seal.attribute("region")
                .or(() -> Optional.ofNullable(variables.get("AWS_REGION")).map(Sourced::value).filter(v -> !v.isEmpty()))
                .or(() -> Optional.ofNullable(variables.get("AWS_DEFAULT_REGION")).map(Sourced::value).filter(v -> !v.isEmpty()));
        return key.map(id -> new SealStanza(id, region.orElse("us-east-1")));
    }

    /**
     * The hosts whose set-up is refused against the planned key, one line each; empty when none is. Checked for every
     * read host, targeted or not: the key and policy serve them all.
     */
    Optional<String> refusal(List<FleetHost> fleet, AwsState state, SealResources names, String region, Redactor redactor) {
        List<String> refused = new ArrayList<>();
        decisions(fleet, state, names, region, redactor).forEach((host, decision) ->
                decision.refusal().ifPresent(why -> refused.add(host + ": " + why)));
        return refused.isEmpty() ? Optional.empty() : Optional.of("refused, before any change: " + String.join("; ", refused));
    }

    /** What is adopted as is, per stanza and credentials file, for the controller's lines. */
    List<String> adopted(List<FleetHost> fleet, AwsState state, SealResources names, String region, Redactor redactor) {
        Map<String, List<String>> hostsBySetUp = new LinkedHashMap<>();
        decisions(fleet, state, names, region, redactor).forEach((host, decision) -> decision.adopted()
                .filter(seal -> !seal.file().equals(decision.planned().sealFile())).ifPresent(seal ->
                hostsBySetUp.computeIfAbsent("seal \"awskms\" in " + seal.file() + decision.credentials()
                        .map(file -> ", credentials in " + file).orElse(""), k -> new ArrayList<>()).add(host)));
        List<String> lines = new ArrayList<>();
        hostsBySetUp.forEach((setUp, hosts) -> lines.add("adoption: " + String.join(", ", hosts) + ": " + setUp
                + " (made by hand) taken over; only what is wrong is fixed"));
        return lines;
    }

    private Map<String, SealAdoption.Decision> decisions(List<FleetHost> fleet, AwsState state, SealResources names,
                                                         String region, Redactor redactor) {
        Set<String> keyNames = new HashSet<>();
        state.key().ifPresent(key -> {
            keyNames.addAll(List.of(key.keyId(), key.arn(), names.alias(), "arn:aws:kms:" + region + ":" + state.account() + ":"
                    + names.alias()));
        });
        Map<String, SealAdoption.Decision> decisions = new LinkedHashMap<>();
        for (FleetHost host : fleet) {
            if (host.unread().isPresent()) {
                continue;
            }
            effective(host, redactor).ifPresent(config -> decisions.put(host.name(), SealAdoption.decide(config,
                    new SealAdoption.Planned(Set.copyOf(keyNames), region, Optional.of(state.account()), endpoint.apply(host.vars()),
                            envFile.apply(host.vars()), sealFile.apply(host.vars()).orElse(""), false))));
        }
        return decisions;
    }
}
