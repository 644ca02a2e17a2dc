package io.vaultcfg.module;

import io.vaultcfg.aws.AccountGuard;
import io.vaultcfg.aws.AccessKeyTags;
import io.vaultcfg.aws.AwsApplier;
import io.vaultcfg.aws.AwsChange;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsFailure;
import io.vaultcfg.aws.AwsPlan;
import io.vaultcfg.aws.AwsPlanner;
import io.vaultcfg.aws.AwsReader;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.CleartextEndpoints;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.FleetMember;
import io.vaultcfg.aws.FleetOwnership;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.HeldKeyCheck;
import io.vaultcfg.aws.LegacyFleetUser;
import io.vaultcfg.aws.Preflight;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerAction.FleetHost;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.Step;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.vars.Interpolator;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Steps 1–5 of the seed, once per play on the controller: KMS key (rotation on, found by alias),
 * programmatic-only IAM user, least-privilege policy, access key. The access key's secret is never
 * stored on the controller: the hosts' env files are the store.
 */
final class AwsAutoUnsealModule implements ControllerModule {
    @Override
    public String name() {
        return "aws_auto_unseal";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("region", "alias", "key_description", "user", "policy_name", "policy_inline", "exclusive",
                "profile", "credentials_file", "assume_role_arn", "endpoint", "env_file", "preflight_timeout", "tags",
                "account_id", "fleet", "seal_endpoint", "seal_file", "forget_hosts", "service", "unit_dir");
    }

    @Override
    public Set<String> exports() {
        return Set.of("kms_key_id", "kms_key_arn", "aws_access_key_id", "aws_secret_access_key", "aws_account_id");
    }

    @Override
    public ControllerAction prepareController(TaskInput input) {
        String region = input.requireString("region");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw input.error("region", "expected an AWS region such as us-east-2");
        }
        String alias = input.optionalString("alias").orElse("alias/vault-auto-unseal");
        if (!alias.startsWith("alias/") || alias.startsWith("alias/aws/")) {
            throw input.error("alias", "expected alias/<name> (alias/aws/ is reserved)");
        }
        input.requireString("env_file");
        // Resolved per host: the env file may live elsewhere on each host.
        Object envFileRaw = input.task().args().get("env_file");
        String envFileLocation = input.task().argLocation("env_file");
        java.util.function.Function<Map<String, Object>, String> envFile = vars ->
                String.valueOf(Interpolator.resolve(envFileRaw, vars, envFileLocation, "env_file"));
        Object sealFileRaw = input.task().args().get("seal_file");
        String sealFileLocation = input.task().argLocation("seal_file");
        java.util.function.Function<Map<String, Object>, Optional<String>> sealFile = vars -> sealFileRaw == null
                ? Optional.empty()
                : Optional.of(String.valueOf(Interpolator.resolve(sealFileRaw, vars, sealFileLocation, "seal_file")))
                        .filter(path -> !path.isEmpty());
        Set<String> forgotten = ForgottenHosts.from(input);
        Optional<URI> endpoint = input.optionalString("endpoint").map(text -> {
            CleartextEndpoints.refusal(text).ifPresent(why -> {
                throw input.error("endpoint", text + ": " + why);
            });
            return URI.create(text);
        });
        Optional<String> accountId = input.optionalString("account_id").map(String::trim);
        accountId.filter(id -> !AccountGuard.wellFormed(id)).ifPresent(id -> {
            throw input.error("account_id", "expected the 12 digits of an AWS account id");
        });
        String fleet = input.optionalString("fleet").orElse(FleetOwnership.defaultFleet(alias, region));
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("ManagedBy", "vaultcfg");
        tags.put(FleetOwnership.TAG, fleet);
        Object tagArg = input.args().get("tags");
        if (tagArg instanceof Map<?, ?> map) {
            map.forEach((k, v) -> tags.put(String.valueOf(k), String.valueOf(v)));
        } else if (tagArg != null) {
            throw input.error("tags", "expected a mapping of tag names to values");
        }
        boolean derivedNames = input.optionalString("user").isEmpty() && input.optionalString("policy_name").isEmpty();
        SealResources names = new SealResources(alias,
                input.optionalString("key_description").orElse("Vault auto-unseal (managed by vaultcfg)"),
                input.optionalString("user").orElse(DefaultSealNames.user(alias, region)),
                input.optionalString("policy_name").orElse(DefaultSealNames.policy(alias, region)),
                input.bool("policy_inline", false),
                input.bool("exclusive", false),
                Map.copyOf(tags));
        AwsSettings settings = new AwsSettings(region, input.optionalString("profile"),
                input.optionalString("credentials_file").map(java.nio.file.Path::of), input.optionalString("assume_role_arn"),
                endpoint, Duration.ofSeconds(input.integer("preflight_timeout", 60)));
        AwsHostChecks hostChecks = new AwsHostChecks(region, input.task().args().get("region"), input.task().argLocation("region"),
                input.task().args().get("seal_endpoint"), input.task().argLocation("seal_endpoint"));
        hostChecks.check(input.vars());
        return new Provision(settings, names, envFile, sealFile, forgotten, input.redactor(), new AccountGuard(accountId), fleet,
                derivedNames, hostChecks, FleetSealReadings.from(input, envFile, sealFile));
    }

    private static final class Provision implements ControllerAction {
        private final AwsSettings settings;
        private final SealResources names;
        private final java.util.function.Function<Map<String, Object>, String> envFile;
        private final java.util.function.Function<Map<String, Object>, Optional<String>> sealFile;
        private final Set<String> forgotten;
        private final Redactor redactor;
        private final AccountGuard accountGuard;
        private final String fleetName;
        private final boolean derivedNames;
        private final AwsHostChecks hostChecks;
        private final Optional<FleetSealReadings> readings;
        private AwsClients clients;
        private CompletableFuture<Void> built;
        private CompletableFuture<AwsState> reading;
        private List<FleetHost> targets = List.of();

        Provision(AwsSettings settings, SealResources names, java.util.function.Function<Map<String, Object>, String> envFile,
                  java.util.function.Function<Map<String, Object>, Optional<String>> sealFile, Set<String> forgotten,
                  Redactor redactor, AccountGuard accountGuard, String fleet, boolean derivedNames, AwsHostChecks hostChecks,
                  Optional<FleetSealReadings> readings) {
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
        }

        @Override
        public void checkHost(String host, Map<String, Object> hostVars) {
            hostChecks.check(hostVars);
        }

        @Override
        public synchronized void close() {
            if (clients != null) {
                clients.close();
            }
        }

        @Override
        public List<Fact<?>> fleetFacts(Map<String, Object> hostVars) {
            List<Fact<?>> queries = new ArrayList<>();
            queries.add(new FileFact(envFile.apply(hostVars), true));
            sealFile.apply(hostVars).ifPresent(path -> queries.add(new FileFact(path, true)));
            readings.ifPresent(r -> queries.addAll(r.facts(hostVars)));
            return queries;
        }

        /** Builds the SDK clients (class loading, TLS trust store, credential chain set-up): ~0.15 s of CPU. */
        @Override
        public synchronized void prepareLocally() {
            if (clients == null) {
                clients = new AwsClients(settings);
                built = CompletableFuture.runAsync(clients::buildAll, AwsClients.BACKGROUND);
            }
        }

        @Override
        public synchronized void startReading() {
            prepareLocally();
            if (reading == null) {
                reading = built.handleAsync((ok, failure) -> {
                    accountGuard.check(clients);
                    return new AwsReader(clients).read(names);
                }, AwsClients.BACKGROUND);
            }
        }

        @Override
        public ControllerPlan plan(List<FleetHost> fleet) {
            startReading();
            AwsState state;
            try {
                state = reading.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof AwsFailure failure ? failure : new AwsFailure(String.valueOf(e.getCause()));
            }
            Set<String> playHosts = fleet.stream().map(FleetHost::name).collect(java.util.stream.Collectors.toSet());
            List<String> strangers = forgotten.stream().filter(name -> !playHosts.contains(name)).sorted().toList();
            if (!strangers.isEmpty()) {
                return new Refused(state, "vaultcfg_forget_hosts names " + String.join(", ", strangers)
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
            FleetOwnership.Verdict owner = state.user().isPresent()
                    ? FleetOwnership.judge(names.userName(), FleetOwnership.taggedFleet(state.user().get()), fleetName)
                    : new FleetOwnership.Verdict(false, Optional.empty());
            if (owner.refusal().isPresent()) {
                return new Planned(new AwsPlan(state, names, List.of(), notes, owner.refusal(), Optional.empty()));
            }
            String keyArn = state.key().map(AwsState.Key::arn).orElse(null);
            AwsReader reader = new AwsReader(clients);
            HeldKeyCheck check = new HeldKeyCheck(clients);
            AwsPlan plan = adoption.around(AwsPlanner.plan(state, names, settings.region(), members,
                    pair -> check.accepts(pair, keyArn, holders(members, pair)), reader::keyArn), readings, fleet, redactor);
            targets = fleet.stream().filter(host -> host.targeted() && host.unread().isEmpty()).toList();
            // AWS accepted it, so it is a real secret whatever it looks like; it is about to be rendered into files.
            plan.reuse().ifPresent(p -> redactor.add(p.secretAccessKey()));
            notes.addAll(plan.notes());
            List<AwsChange> changes = new ArrayList<>(plan.changes());
            if (owner.needsTag() && plan.stop().isEmpty()) {
                changes.add(0, new AwsChange.TagUser(names.userName(), Map.of(FleetOwnership.TAG, fleetName),
                        FleetOwnership.TAG + "=" + fleetName + " (the fleet it serves)"));
            }
            return new Planned(new AwsPlan(plan.state(), plan.names(), List.copyOf(changes), List.copyOf(notes), plan.stop(),
                    plan.reuse()));
        }

        private static List<String> holders(List<FleetMember> members, HeldCredentials pair) {
            return members.stream().filter(member -> member.held().filter(pair::equals).isPresent())
                    .map(FleetMember::name).toList();
        }

        /** Input that names what is not there: shown as the controller's failed step, before any AWS write. */
        private final class Refused implements ControllerPlan {
            private final AwsState state;
            private final String why;

            Refused(AwsState state, String why) {
                this.state = state;
                this.why = why;
            }

            @Override
            public List<Step> steps() {
                return List.of(Step.ok("AWS account " + state.account() + " as " + state.callerArn() + ", region "
                        + settings.region()), Step.failed(why));
            }

            @Override
            public Map<String, Object> plannedExports() {
                throw new ControllerFailure(why);
            }

            @Override
            public Map<String, Object> apply() {
                throw new ControllerFailure(why);
            }
        }

        private final class Planned implements ControllerPlan {
            private final AwsPlan plan;

            private Optional<String> newKey = Optional.empty();

            Planned(AwsPlan plan) {
                this.plan = plan;
            }

            /**
             * A key made in this run is the fleet's once a host holds it. When every host failed, they are read again:
             * if none holds it, its secret died with this run and the key is deleted now (the IAM user keeps at most
             * the key the fleet had); if a host cannot be read, the key stays tagged undelivered for the next run.
             */
            @Override
            public List<Step> afterHosts(Set<String> succeeded, java.util.function.Function<String, Optional<HostFacts>> reread) {
                if (newKey.isEmpty()) {
                    return List.of();
                }
                String id = newKey.get();
                AwsApplier applier = new AwsApplier(clients, redactor::add);
                if (!succeeded.isEmpty()) {
                    applier.recordDelivered(names.userName(), id);
                    return List.of(Step.ok("access key " + id + " delivered; tagged on " + names.userName()
                            + " as the fleet's (" + AccessKeyTags.IN_USE + ")"));
                }
                List<String> holders = new ArrayList<>();
                List<String> unreadable = new ArrayList<>();
                for (FleetHost host : targets) {
                    Optional<HostFacts> facts = reread.apply(host.name());
                    if (facts.isEmpty()) {
                        unreadable.add(host.name());
                    } else if (FleetMembers.content(facts.get().file(envFile.apply(host.vars()))).flatMap(HeldCredentials::fromEnvFile)
                            .filter(pair -> pair.accessKeyId().equals(id)).isPresent()) {
                        holders.add(host.name());
                    }
                }
                if (!holders.isEmpty()) {
                    applier.recordDelivered(names.userName(), id);
                    return List.of(Step.ok("access key " + id + " reached " + String.join(", ", holders)
                            + " before they failed; tagged on " + names.userName() + " as the fleet's"));
                }
                if (!unreadable.isEmpty()) {
                    return List.of(Step.failed("access key " + id + " was created but delivered to no host that could be "
                            + "checked; " + String.join(", ", unreadable) + " cannot be read now, so it is kept, tagged "
                            + AccessKeyTags.UNDELIVERED_PREFIX + id + ": the next run keeps it if a host holds it, else "
                            + "deletes it"));
                }
                applier.deleteUndelivered(names.userName(), id);
                return List.of(new Step("", "", io.vaultcfg.plan.StepStatus.CHANGED, "deleted access key " + id
                        + " again: no host received it (delivery failed on every host) and its secret is not stored anywhere",
                        Optional.empty(), Optional.empty(), false, List.of()));
            }

            @Override
            public List<Step> steps() {
                List<Step> steps = new ArrayList<>();
                steps.add(Step.ok("AWS account " + plan.state().account() + " as " + plan.state().callerArn()
                        + ", region " + settings.region()));
                plan.stop().ifPresent(reason -> steps.add(Step.failed(reason)));
                for (AwsChange change : plan.changes()) {
                    steps.add(new Step("", "", io.vaultcfg.plan.StepStatus.CHANGED, change.describe(),
                            Optional.empty(), Optional.empty(), false, List.of())
                            .previewedAs(io.vaultcfg.plan.StepStatus.CHANGED, "would " + change.describe()));
                }
                plan.notes().forEach(note -> steps.add(Step.ok(note)));
                if (plan.changes().isEmpty() && plan.stop().isEmpty()) {
                    steps.add(Step.ok("in sync: key " + plan.keyId().orElse("?") + " (rotation on), user " + plan.names().userName()
                            + ", least-privilege policy, access key " + plan.reuse().map(HeldCredentials::accessKeyId).orElse("?")));
                }
                return steps;
            }

            @Override
            public Map<String, Object> plannedExports() {
                Map<String, Object> exports = new LinkedHashMap<>();
                exports.put("aws_account_id", plan.state().account());
                exports.put("kms_key_id", plan.keyId().orElse(KNOWN_AFTER_APPLY));
                exports.put("kms_key_arn", plan.keyArn().orElse(KNOWN_AFTER_APPLY));
                exports.put("aws_access_key_id", plan.reuse().map(HeldCredentials::accessKeyId).orElse(KNOWN_AFTER_APPLY));
                exports.put("aws_secret_access_key", plan.reuse().map(HeldCredentials::secretAccessKey).orElse(KNOWN_AFTER_APPLY));
                return exports;
            }

            @Override
            public Map<String, Object> apply() {
                AwsApplier.Applied applied = new AwsApplier(clients, redactor::add).apply(plan);
                String keyRegion = applied.keyArn().split(":")[3];
                if (!keyRegion.equals(settings.region())) {
                    throw new AwsFailure("KMS key " + applied.keyArn() + " is in " + keyRegion + ", but the seal stanza and "
                            + "AWS_DEFAULT_REGION name " + settings.region() + "; no host was changed");
                }
                if (applied.newKey()) {
                    newKey = Optional.of(applied.credentials().accessKeyId());
                    new Preflight(clients).prove(applied.credentials(), applied.keyArn(), settings.preflightTimeout());
                }
                Map<String, Object> exports = new LinkedHashMap<>();
                exports.put("aws_account_id", plan.state().account());
                exports.put("kms_key_id", applied.keyId());
                exports.put("kms_key_arn", applied.keyArn());
                exports.put("aws_access_key_id", applied.credentials().accessKeyId());
                exports.put("aws_secret_access_key", applied.credentials().secretAccessKey());
                return exports;
            }
        }
    }
}
