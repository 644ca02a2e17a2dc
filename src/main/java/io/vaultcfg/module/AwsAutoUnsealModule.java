package io.vaultcfg.module;

import io.vaultcfg.aws.AccountGuard;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.FleetOwnership;
import io.vaultcfg.aws.KeyRotation;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.vars.Interpolator;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
                "account_id", "fleet", "seal_endpoint", "seal_file", "forget_hosts", "service", "unit_dir", "rotate_access_key",
                "rotate_older_than_days", "access_key_grace_days");
    }

    @Override
    public Set<String> exports() {
        return AwsSealPlan.EXPORTS;
    }

    @Override
    public ControllerAction<?, ?, ?> prepareController(TaskInput input) {
        String region = AwsTaskArgs.region(input);
        String alias = input.optionalString("alias").orElse("alias/vault-auto-unseal");
        if (!alias.startsWith("alias/") || alias.startsWith("alias/aws/")) {
            throw input.error("alias", "expected alias/<name> (alias/aws/ is reserved)");
        }
        input.requireString("env_file");
        // Resolved per host: the env file may live elsewhere on each host.
        java.util.function.Function<Map<String, Object>, String> envFile = AwsTaskArgs.perHost(input, "env_file");
        Object sealFileRaw = input.task().args().get("seal_file");
        String sealFileLocation = input.task().argLocation("seal_file");
        java.util.function.Function<Map<String, Object>, Optional<String>> sealFile = vars -> sealFileRaw == null
                ? Optional.empty()
                : Optional.of(String.valueOf(Interpolator.resolve(sealFileRaw, vars, sealFileLocation, "seal_file")))
                        .filter(path -> !path.isEmpty());
        Set<String> forgotten = ForgottenHosts.from(input);
        Optional<URI> endpoint = AwsTaskArgs.endpoint(input);
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
        AwsSettings settings = AwsTaskArgs.settings(input, region, endpoint,
                Duration.ofSeconds(input.integer("preflight_timeout", 60)));
        AwsHostChecks hostChecks = new AwsHostChecks(region, input.task().args().get("region"), input.task().argLocation("region"),
                input.task().args().get("seal_endpoint"), input.task().argLocation("seal_endpoint"));
        hostChecks.check(input.vars());
        return new AwsProvision(settings, names, envFile, sealFile, forgotten, input.redactor(), new AccountGuard(accountId), fleet,
                derivedNames, hostChecks, FleetSealReadings.from(input, envFile, sealFile), rotation(input));
    }

    /** What {@code vaultcfg rotate-access-key} asks for (through its variables), and the grace period of a deactivated key. */
    static KeyRotation rotation(TaskInput input) {
        int olderThan = input.integer("rotate_older_than_days", 0);
        int grace = input.integer("access_key_grace_days", KeyRotation.DEFAULT_GRACE_DAYS);
        if (olderThan < 0) {
            throw input.error("rotate_older_than_days", "expected 0 (rotate whatever the key's age) or a number of days");
        }
        if (grace < 0) {
            throw input.error("access_key_grace_days", "expected 0 or more days");
        }
        return new KeyRotation(input.bool("rotate_access_key", false),
                olderThan == 0 ? Optional.empty() : Optional.of(Duration.ofDays(olderThan)), Duration.ofDays(grace),
                java.time.Instant.now());
    }
}
