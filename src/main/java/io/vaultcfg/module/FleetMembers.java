package io.vaultcfg.module;

import io.vaultcfg.aws.FleetMember;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.SealStanza;
import io.vaultcfg.aws.SecretAccessKeyForm;
import io.vaultcfg.plan.ControllerAction.FleetHost;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.secret.Redactor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * A host of the play as the AWS planning sees it: the access key pair its {@code vault.env} holds (a
 * secret of the AWS form is registered with the redactor), the seal stanza it loads, and whether its
 * node is initialized; or why it was not read.
 */
final class FleetMembers {
    private FleetMembers() {
    }

    /** What {@link #of} needs read on a host: its env file, its seal file, and (with {@code readings}) what its service loads. */
    static List<Fact<?>> facts(Map<String, Object> hostVars, Function<Map<String, Object>, String> envFile,
                               Function<Map<String, Object>, Optional<String>> sealFile, Optional<FleetSealReadings> readings) {
        List<Fact<?>> queries = new ArrayList<>();
        queries.add(new FileFact(envFile.apply(hostVars), true));
        sealFile.apply(hostVars).ifPresent(path -> queries.add(new FileFact(path, true)));
        readings.ifPresent(r -> queries.addAll(r.facts(hostVars)));
        return queries;
    }

    static FleetMember of(FleetHost host, Function<Map<String, Object>, String> envFile,
                          Function<Map<String, Object>, Optional<String>> sealFile, Set<String> forgotten, Redactor redactor) {
        return of(host, envFile, sealFile, forgotten, redactor, Optional.empty());
    }

    /**
     * With {@code readings}: the stanza and access key the host's service really loads, wherever they live (a
     * stanza in vault.hcl, credentials in an env file of the unit's own); vaultcfg's files where the service loads none.
     */
    static FleetMember of(FleetHost host, Function<Map<String, Object>, String> envFile,
                          Function<Map<String, Object>, Optional<String>> sealFile, Set<String> forgotten, Redactor redactor,
                          Optional<FleetSealReadings> readings) {
        if (host.unread().isPresent() || host.facts() == null) {
            return FleetMember.unread(host.name(), host.targeted(), host.unread().orElse("not read"),
                    forgotten.contains(host.name()));
        }
        Optional<String> env = content(host.facts().file(envFile.apply(host.vars())));
        Optional<EffectiveServiceConfig> loaded = readings.flatMap(r -> r.effective(host, redactor));
        Optional<HeldCredentials> pair = loaded.flatMap(FleetSealReadings::held).or(() -> env.flatMap(HeldCredentials::fromEnvFile));
        pair.ifPresent(p -> SecretAccessKeyForm.keysWithin(p.secretAccessKey()).forEach(redactor::add));
        Optional<SealStanza> stanza = loaded.flatMap(FleetSealReadings::stanza).or(() -> sealFile.apply(host.vars())
                .flatMap(path -> content(host.facts().file(path)))
                .flatMap(hcl -> SealStanza.parse(hcl, env.flatMap(SealStanza::environmentRegion))));
        FleetMember.Node node = VaultStatus.in(host.facts())
                .map(status -> status.initialized() ? FleetMember.Node.INITIALIZED : FleetMember.Node.NOT_INITIALIZED)
                .orElse(FleetMember.Node.UNKNOWN);
        return FleetMember.read(host.name(), host.targeted(), pair, stanza, node);
    }

    static Optional<String> content(FileState file) {
        return file.content().map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }
}
