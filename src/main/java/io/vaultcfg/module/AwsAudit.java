package io.vaultcfg.module;

import io.vaultcfg.aws.AuditLine;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsFailure;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.FleetMember;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.SealAudit;
import io.vaultcfg.aws.SealStanza;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerApplied;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.secret.Redactor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The {@code audit_aws} task for one play: reads who the credentials are (beside the hosts' facts), then audits AWS
 * against the stanzas and access key ids the hosts' services load. Its lines never stop the play: a finding is a
 * change pending, a broken practice that seals the fleet soon (a key pending deletion) or a read that failed is shown
 * as an error in check mode ({@code vaultcfg audit} only checks); applied, any of them fails the task.
 */
final class AwsAudit implements ControllerAction<AwsAudit.Caller, AwsAudit.Plan, AwsAudit.Nothing> {
    record Names(String alias, List<String> users, String policy, boolean inlinePolicy) {
    }

    /** Who the audit's credentials are, or why they could not be used; and the time the ages are measured at. */
    record Caller(Instant now, Optional<String> arn, Optional<String> problem) {
    }

    record Plan(List<Step> steps, int findings) implements ControllerPlan {
        @Override
        public Map<String, Object> exports() {
            return Map.of();
        }
    }

    record Nothing() implements ControllerApplied {
        @Override
        public Map<String, Object> exports() {
            return Map.of();
        }
    }

    private final AwsSettings settings;
    private final Names names;
    private final boolean manageAws;
    private final Function<Map<String, Object>, String> envFile;
    private final Function<Map<String, Object>, Optional<String>> sealFile;
    private final Optional<FleetSealReadings> readings;
    private final Redactor redactor;
    private final AwsClients clients;

    AwsAudit(AwsSettings settings, Names names, boolean manageAws, Function<Map<String, Object>, String> envFile,
             Function<Map<String, Object>, Optional<String>> sealFile, Optional<FleetSealReadings> readings, Redactor redactor) {
        this.settings = settings;
        this.names = names;
        this.manageAws = manageAws;
        this.envFile = envFile;
        this.sealFile = sealFile;
        this.readings = readings;
        this.redactor = redactor;
        this.clients = new AwsClients(settings);
    }

    @Override
    public List<Fact<?>> fleetFacts(Map<String, Object> hostVars) {
        return FleetMembers.facts(hostVars, envFile, sealFile, readings);
    }

    @Override
    public void warmUp() {
        clients.buildAll();
    }

    @Override
    public Caller read(Executor parallel) {
        Instant now = Instant.now();
        try {
            return new Caller(now, Optional.of(clients.sts().getCallerIdentity().arn()), Optional.empty());
        } catch (SdkException e) {
            return new Caller(now, Optional.empty(), Optional.of(AwsFailure.of("sts:GetCallerIdentity", e).getMessage()));
        } catch (RuntimeException e) {
            return new Caller(now, Optional.empty(), Optional.of("sts:GetCallerIdentity failed: " + e.getClass().getSimpleName()));
        }
    }

    @Override
    public Plan plan(Caller caller, List<FleetHost> fleet) {
        if (caller.problem().isPresent()) {
            String why = caller.problem().get();
            return new Plan(List.of(manageAws && !why.contains("(AccessDenied)")
                    ? error("AWS could not be audited: " + why)
                    : Step.skipped("AWS not checked: " + why + (manageAws ? "" : " (vaultcfg_manage_aws: false)"))), 0);
        }
        Map<String, SealStanza> stanzas = new LinkedHashMap<>();
        Set<String> held = new LinkedHashSet<>();
        for (FleetHost host : fleet) {
            FleetMember member = FleetMembers.of(host, envFile, sealFile, Set.of(), redactor, readings);
            member.stanza().ifPresent(stanza -> stanzas.put(host.name(), stanza));
            member.held().map(HeldCredentials::accessKeyId).ifPresent(held::add);
        }
        List<AuditLine> lines;
        try {
            lines = new SealAudit(clients).audit(new SealAudit.Target(settings.region(), names.alias(), names.users(),
                    names.policy(), names.inlinePolicy(), stanzas, held), caller.now());
        } catch (AwsFailure e) {
            return new Plan(List.of(error("AWS could not be audited: " + e.getMessage())), 0);
        }
        List<Step> steps = new ArrayList<>();
        int findings = 0;
        for (AuditLine line : lines) {
            String text = line.check() + ": " + line.detail();
            steps.add(switch (line.result()) {
                case OK -> Step.ok(text);
                case NOT_CHECKED -> Step.skipped(text);
                case FINDING -> new Step("", "", StepStatus.CHANGED, "finding: " + text, Optional.empty(), Optional.empty(),
                        false, List.of());
                case ERROR -> error(text);
            });
            findings += line.result() == AuditLine.Result.FINDING || line.result() == AuditLine.Result.ERROR ? 1 : 0;
        }
        return new Plan(List.copyOf(steps), findings);
    }

    /** Shown as an error in check mode; not FAILED itself, which would stop the play before its hosts are audited. */
    private static Step error(String message) {
        return new Step("", "", StepStatus.CHANGED, "error: " + message, Optional.empty(), Optional.empty(), false, List.of())
                .previewedAs(StepStatus.FAILED, message);
    }

    @Override
    public Nothing apply(Plan plan) {
        if (plan.findings() > 0) {
            throw new ControllerPlan.ControllerFailure(plan.findings() + (plan.findings() == 1 ? " AWS finding" : " AWS findings")
                    + " (an audit task changes nothing; run vaultcfg audit to see them)");
        }
        return new Nothing();
    }

    @Override
    public void close() {
        clients.close();
    }
}
