package io.vaultcfg.module;

import io.vaultcfg.aws.AccessKeyRotation;
import io.vaultcfg.aws.AccessKeyTags;
import io.vaultcfg.aws.AccountGuard;
import io.vaultcfg.aws.AwsApplier;
import io.vaultcfg.aws.AwsChange;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsFailure;
import io.vaultcfg.aws.AwsPlan;
import io.vaultcfg.aws.AwsPlanner;
import io.vaultcfg.aws.AwsReader;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.FleetMember;
import io.vaultcfg.aws.FleetOwnership;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.HeldKeyCheck;
import io.vaultcfg.aws.KeyRotation;
import io.vaultcfg.aws.LegacyFleetUser;
import io.vaultcfg.aws.Preflight;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerPlan.ControllerFailure;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The {@code aws_auto_unseal} task for one play, as the runner's steps: read AWS, plan (an {@link AwsSealPlan}
 * value), apply it, then settle a new access key once the hosts ran. Every AWS failure leaves a step as a
 * {@link ControllerFailure}.
 */
final class AwsProvision implements ControllerAction<AwsState, AwsSealPlan, AwsProvision.Applied> {
    private final AwsSettings settings;
    private final SealResources names;
    private final Function<Map<String, Object>, String> envFile;
    private final Function<Map<String, Object>, Optional<String>> sealFile;
    private final Set<String> forgotten;
    private final Redactor redactor;
    private final AccountGuard accountGuard;
    private final String fleetName;
    private final boolean derivedNames;
    private final AwsHostChecks hostChecks;
    private final Optional<FleetSealReadings> readings;
    private final AwsClients clients;
    private final KeyRotation rotation;

    /**
     * What applying produced; {@code newAccessKey} is the id of an access key made in this run, {@code envFiles}
     * the env file of each targeted host that was read (where a new key is looked for after the hosts ran).
     */
    record Applied(Map<String, Object> exports, Optional<String> newAccessKey, String userName, Map<String, String> envFiles,
                   Set<String> retireAfterHosts) implements io.vaultcfg.plan.ControllerApplied {
    }

    AwsProvision(AwsSettings settings, SealResources names, Function<Map<String, Object>, String> envFile,
                 Function<Map<String, Object>, Optional<String>> sealFile, Set<String> forgotten, Redactor redactor,
                 AccountGuard accountGuard, String fleet, boolean derivedNames, AwsHostChecks hostChecks,
                 Optional<FleetSealReadings> readings, KeyRotation rotation) {
        this.settings = settings;
        this.names = names;
        this.envFile = envFile;
        this.sealFile = sealFile;
        this.forgotten = forgotten;
        this.redactor = redactor;
        this.accountGuard = accountGuard;
        this.fleetName = fleet;
        this.derivedNames = derivedNames;
        this.hostChecks = hostChecks;
        this.readings = readings;
        this.clients = new AwsClients(settings);
        this.rotation = rotation;
    }

    @Override
    public void checkHost(String host, Map<String, Object> hostVars) {
        hostChecks.check(hostVars);
    }

    @Override
    public void close() {
        clients.close();
    }

    @Override
    public List<Fact<?>> fleetFacts(Map<String, Object> hostVars) {
        return FleetMembers.facts(hostVars, envFile, sealFile, readings);
    }

    /** Builds the SDK clients (class loading, TLS trust store, credential chain set-up): ~0.15 s of CPU, no request. */
    @Override
    public void warmUp() {
        clients.buildAll();
    }

    @Override
    public AwsState read(Executor parallel) {
        return failingAsController(() -> {
            accountGuard.check(clients);
            return new AwsReader(clients, parallel).read(names);
        });
    }

    @Override
    public AwsSealPlan plan(AwsState read, List<FleetHost> fleet) {
        return failingAsController(() -> planFrom(read, fleet));
    }

    private AwsSealPlan planFrom(AwsState read, List<FleetHost> fleet) {
        AwsState state = read;
        Set<String> playHosts = fleet.stream().map(FleetHost::name).collect(Collectors.toSet());
        List<String> strangers = forgotten.stream().filter(name -> !playHosts.contains(name)).sorted().toList();
        if (!strangers.isEmpty()) {
            return AwsSealPlan.refused(state, settings.region(), "vaultcfg_forget_hosts names " + String.join(", ", strangers)
                    + ", which " + (strangers.size() == 1 ? "is" : "are") + " not a host of this play; nothing is forgotten");
        }
        List<FleetMember> members = new ArrayList<>();
        for (FleetHost host : fleet) {
            members.add(FleetMembers.of(host, envFile, sealFile, forgotten, redactor, readings));
        }
        SealResources names = this.names;
        List<String> notes = new ArrayList<>();
        if (derivedNames && state.user().isEmpty()) {
            List<String> heldIds = members.stream().flatMap(member -> member.held().stream()).map(HeldCredentials::accessKeyId).toList();
            Optional<String> legacy = LegacyFleetUser.holding(clients, heldIds);
            if (legacy.isPresent()) {
                names = new SealResources(names.alias(), names.keyDescription(), DefaultSealNames.LEGACY_USER,
                        DefaultSealNames.LEGACY_POLICY, names.inlinePolicy(), names.exclusive(), names.tags());
                state = new AwsReader(clients).read(names);
                notes.add("IAM user " + DefaultSealNames.LEGACY_USER + " and policy " + DefaultSealNames.LEGACY_POLICY
                        + " (the defaults of earlier vaultcfg versions) serve this fleet: its hosts hold their access key; "
                        + "kept (the default for a new fleet is " + this.names.userName() + ")");
            }
        }
        AwsAdoption adoption = AwsAdoption.resolve(clients, state, names, derivedNames, settings.region(), members);
        state = adoption.state();
        names = adoption.names();
        Map<String, String> targets = new LinkedHashMap<>();
        fleet.stream().filter(host -> host.targeted() && host.unread().isEmpty())
                .forEach(host -> targets.put(host.name(), envFile.apply(host.vars())));
        FleetOwnership.Verdict owner = state.user().isPresent()
                ? FleetOwnership.judge(names.userName(), FleetOwnership.taggedFleet(state.user().get()), fleetName)
                : new FleetOwnership.Verdict(false, Optional.empty());
        if (owner.refusal().isPresent()) {
            return AwsSealPlan.of(new AwsPlan(state, names, List.of(), notes, owner.refusal(), Optional.empty()),
                    settings.region(), targets);
        }
        String keyArn = state.key().map(AwsState.Key::arn).orElse(null);
        AwsReader reader = new AwsReader(clients);
        HeldKeyCheck check = new HeldKeyCheck(clients);
        AwsPlan plan = adoption.around(AwsPlanner.plan(state, names, settings.region(), members,
                pair -> check.accepts(pair, keyArn, holders(members, pair)), reader::keyArn, rotation), readings, fleet, redactor);
        // AWS accepted it, so it is a real secret whatever it looks like; it is about to be rendered into files.
        plan.reuse().ifPresent(p -> redactor.add(p.secretAccessKey()));
        notes.addAll(plan.notes());
        List<AwsChange> changes = new ArrayList<>(plan.changes());
        if (owner.needsTag() && plan.stop().isEmpty()) {
            changes.add(0, new AwsChange.TagUser(names.userName(), Map.of(FleetOwnership.TAG, fleetName),
                    FleetOwnership.TAG + "=" + fleetName + " (the fleet it serves)"));
        }
        Set<String> retired = rotation.rotate() ? AccessKeyRotation.retiredAfterHosts(
                plan.state().user().map(AwsState.User::accessKeys).orElse(List.of()), members, plan.reuse()) : Set.of();
        return AwsSealPlan.of(new AwsPlan(plan.state(), plan.names(), List.copyOf(changes), List.copyOf(notes), plan.stop(),
                plan.reuse()), settings.region(), targets, retired);
    }

    private static List<String> holders(List<FleetMember> members, HeldCredentials pair) {
        return members.stream().filter(member -> member.held().filter(pair::equals).isPresent())
                .map(FleetMember::name).toList();
    }

    @Override
    public Applied apply(AwsSealPlan sealPlan) {
        AwsPlan plan = sealPlan.aws().orElseThrow(() -> new ControllerFailure("nothing to apply: the plan was refused"));
        return failingAsController(() -> {
            AwsApplier.Applied applied = new AwsApplier(clients, redactor::add).apply(plan);
            String keyRegion = applied.keyArn().split(":")[3];
            if (!keyRegion.equals(settings.region())) {
                throw new AwsFailure("KMS key " + applied.keyArn() + " is in " + keyRegion + ", but the seal stanza and "
                        + "AWS_DEFAULT_REGION name " + settings.region() + "; no host was changed");
            }
            Optional<String> newAccessKey = Optional.empty();
            if (applied.newKey()) {
                newAccessKey = Optional.of(applied.credentials().accessKeyId());
                new Preflight(clients).prove(applied.credentials(), applied.keyArn(), settings.preflightTimeout());
            }
            return new Applied(AwsSealPlan.exports(plan.state().account(), applied.keyId(), applied.keyArn(),
                    applied.credentials()), newAccessKey, plan.names().userName(), sealPlan.envFiles(),
                    sealPlan.retireAfterHosts());
        });
    }

    /**
     * A key made in this run is the fleet's once a host holds it. When every host failed, they are read again:
     * if none holds it, its secret died with this run and the key is deleted now (the IAM user keeps at most
     * the key the fleet had); if a host cannot be read, the key stays tagged undelivered for the next run.
     */
    @Override
    public List<Step> afterHosts(Applied applied, Set<String> succeeded, Function<String, Optional<HostFacts>> reread) {
        List<Step> steps = new ArrayList<>();
        if (applied.newAccessKey().isPresent()) {
            steps.addAll(failingAsController(() -> settleNewKey(applied, succeeded, reread)));
        }
        if (!applied.retireAfterHosts().isEmpty()) {
            String fleetKey = String.valueOf(applied.exports().get("aws_access_key_id"));
            steps.addAll(failingAsController(() -> new RotatedKeyRetirement(clients, redactor).retire(applied.userName(),
                    fleetKey, applied.retireAfterHosts(), applied.envFiles(), succeeded, reread)));
        }
        return steps;
    }

    private List<Step> settleNewKey(Applied applied, Set<String> succeeded, Function<String, Optional<HostFacts>> reread) {
        String id = applied.newAccessKey().get();
        String user = applied.userName();
        AwsApplier applier = new AwsApplier(clients, redactor::add);
        if (!succeeded.isEmpty()) {
            applier.recordDelivered(user, id);
            return List.of(Step.ok("access key " + id + " delivered; tagged on " + user + " as the fleet's ("
                    + AccessKeyTags.IN_USE + ")"));
        }
        List<String> holders = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        applied.envFiles().forEach((host, envFile) -> {
            Optional<HostFacts> facts = reread.apply(host);
            if (facts.isEmpty()) {
                unreadable.add(host);
            } else if (FleetMembers.content(facts.get().file(envFile)).flatMap(HeldCredentials::fromEnvFile)
                    .filter(pair -> pair.accessKeyId().equals(id)).isPresent()) {
                holders.add(host);
            }
        });
        if (!holders.isEmpty()) {
            applier.recordDelivered(user, id);
            return List.of(Step.ok("access key " + id + " reached " + String.join(", ", holders)
                    + " before they failed; tagged on " + user + " as the fleet's"));
        }
        if (!unreadable.isEmpty()) {
            return List.of(Step.failed("access key " + id + " was created but delivered to no host that could be "
                    + "checked; " + String.join(", ", unreadable) + " cannot be read now, so it is kept, tagged "
                    + AccessKeyTags.UNDELIVERED_PREFIX + id + ": the next run keeps it if a host holds it, else "
                    + "deletes it"));
        }
        applier.deleteUndelivered(user, id);
        return List.of(new Step("", "", StepStatus.CHANGED, "deleted access key " + id
                + " again: no host received it (delivery failed on every host) and its secret is not stored anywhere",
                Optional.empty(), Optional.empty(), false, List.of()));
    }

    private static <T> T failingAsController(Supplier<T> step) {
        try {
            return step.get();
        } catch (AwsFailure e) {
            throw new ControllerFailure(e.getMessage());
        }
    }
}
