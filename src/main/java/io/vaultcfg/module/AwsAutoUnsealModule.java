package io.vaultcfg.module;

import io.vaultcfg.aws.AwsApplier;
import io.vaultcfg.aws.AwsChange;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsFailure;
import io.vaultcfg.aws.AwsPlan;
import io.vaultcfg.aws.AwsPlanner;
import io.vaultcfg.aws.AwsReader;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.Preflight;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.aws.SecretAccessKeyForm;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.FactQuery;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.Step;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.vars.Interpolator;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

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
                "profile", "credentials_file", "assume_role_arn", "endpoint", "env_file", "preflight_timeout", "tags");
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
        Optional<URI> endpoint = input.optionalString("endpoint").map(text -> {
            try {
                return URI.create(text);
            } catch (IllegalArgumentException e) {
                throw input.error("endpoint", "not a URL");
            }
        });
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("ManagedBy", "vaultcfg");
        Object tagArg = input.args().get("tags");
        if (tagArg instanceof Map<?, ?> map) {
            map.forEach((k, v) -> tags.put(String.valueOf(k), String.valueOf(v)));
        } else if (tagArg != null) {
            throw input.error("tags", "expected a mapping of tag names to values");
        }
        SealResources names = new SealResources(alias,
                input.optionalString("key_description").orElse("Vault auto-unseal (managed by vaultcfg)"),
                input.optionalString("user").orElse("vault-auto-unseal"),
                input.optionalString("policy_name").orElse("vault-auto-unseal-kms"),
                input.bool("policy_inline", false),
                input.bool("exclusive", false),
                Map.copyOf(tags));
        AwsSettings settings = new AwsSettings(region, input.optionalString("profile"),
                input.optionalString("credentials_file").map(java.nio.file.Path::of), input.optionalString("assume_role_arn"),
                endpoint, Duration.ofSeconds(input.integer("preflight_timeout", 60)));
        return new Provision(settings, names, envFile, input.redactor());
    }

    private static final class Provision implements ControllerAction {
        private final AwsSettings settings;
        private final SealResources names;
        private final java.util.function.Function<Map<String, Object>, String> envFile;
        private final Redactor redactor;
        private AwsClients clients;
        private CompletableFuture<Void> built;
        private CompletableFuture<AwsState> reading;

        Provision(AwsSettings settings, SealResources names, java.util.function.Function<Map<String, Object>, String> envFile,
                  Redactor redactor) {
            this.settings = settings;
            this.names = names;
            this.envFile = envFile;
            this.redactor = redactor;
        }

        @Override
        public List<FactQuery> fleetFacts(Map<String, Object> hostVars) {
            return List.of(new FactQuery.FileQuery(envFile.apply(hostVars), true));
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
                reading = built.handleAsync((ok, failure) -> new AwsReader(clients).read(names), AwsClients.BACKGROUND);
            }
        }

        @Override
        public ControllerPlan plan(List<FleetHost> fleet, boolean checkMode) {
            startReading();
            AwsState state;
            try {
                state = reading.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof AwsFailure failure ? failure : new AwsFailure(String.valueOf(e.getCause()));
            }
            Map<String, Optional<HeldCredentials>> held = new LinkedHashMap<>();
            for (FleetHost host : fleet) {
                FileState file = host.facts().file(envFile.apply(host.vars()));
                Optional<HeldCredentials> pair = file.content()
                        .flatMap(bytes -> HeldCredentials.fromEnvFile(new String(bytes, StandardCharsets.UTF_8)));
                pair.ifPresent(p -> SecretAccessKeyForm.keysWithin(p.secretAccessKey()).forEach(redactor::add));
                held.put(host.name(), pair);
            }
            String keyArn = state.key().map(AwsState.Key::arn).orElse(null);
            AwsPlan plan = AwsPlanner.plan(state, names, settings.region(), held, pair -> works(pair, keyArn));
            // AWS accepted it, so it is a real secret whatever it looks like; it is about to be rendered into files.
            plan.reuse().ifPresent(p -> redactor.add(p.secretAccessKey()));
            return new Planned(plan, checkMode);
        }

        /** A signed DescribeKey with the host's own pair: read-only, so it runs in check mode too. */
        private boolean works(HeldCredentials pair, String keyArn) {
            AwsCredentialsProvider hostPair = StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(pair.accessKeyId(), pair.secretAccessKey()));
            try {
                clients.kms().describeKey(r -> r.keyId(keyArn).overrideConfiguration(o -> o.credentialsProvider(hostPair)));
                return true;
            } catch (SdkException e) {
                return false;
            }
        }

        private final class Planned implements ControllerPlan {
            private final AwsPlan plan;
            private final boolean checkMode;

            Planned(AwsPlan plan, boolean checkMode) {
                this.plan = plan;
                this.checkMode = checkMode;
            }

            @Override
            public List<Step> steps() {
                List<Step> steps = new ArrayList<>();
                steps.add(Step.ok("AWS account " + plan.state().account() + " as " + plan.state().callerArn()
                        + ", region " + settings.region()));
                plan.stop().ifPresent(reason -> steps.add(Step.failed(reason)));
                for (AwsChange change : plan.changes()) {
                    steps.add(new Step("", "", io.vaultcfg.plan.StepStatus.CHANGED, (checkMode ? "would " : "") + change.describe(),
                            Optional.empty(), Optional.empty(), false, List.of()));
                }
                plan.notes().forEach(note -> steps.add(Step.ok(note)));
                if (plan.changes().isEmpty() && plan.stop().isEmpty()) {
                    steps.add(Step.ok("in sync: key " + plan.keyId().orElse("?") + " (rotation on), user " + names.userName()
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
                if (applied.newKey()) {
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
