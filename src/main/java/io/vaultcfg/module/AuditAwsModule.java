package io.vaultcfg.module;

import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.plan.ControllerAction;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code audit_aws}: read-only check, once per play on the controller, of the seed's AWS practices (KMS key, IAM
 * user, its policy and access keys) against what every host's seal stanza names. Arguments as
 * {@code aws_auto_unseal}'s; {@code manage_aws: false} (AWS made by other means) reports missing AWS credentials as
 * not checked rather than as an error.
 */
final class AuditAwsModule implements ControllerModule {
    @Override
    public String name() {
        return "audit_aws";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("region", "alias", "user", "policy_name", "policy_inline", "profile", "credentials_file",
                "assume_role_arn", "endpoint", "env_file", "seal_file", "service", "unit_dir", "manage_aws");
    }

    @Override
    public Set<String> exports() {
        return Set.of();
    }

    @Override
    public ControllerAction<?, ?, ?> prepareController(TaskInput input) {
        String region = AwsTaskArgs.region(input);
        String alias = input.optionalString("alias").orElse("alias/vault-auto-unseal");
        if (!alias.startsWith("alias/")) {
            throw input.error("alias", "expected alias/<name>");
        }
        Optional<URI> endpoint = AwsTaskArgs.endpoint(input);
        List<String> users = input.optionalString("user").map(List::of)
                .orElse(List.of(DefaultSealNames.user(alias, region), DefaultSealNames.LEGACY_USER));
        String policy = input.optionalString("policy_name").orElse(DefaultSealNames.policy(alias, region));
        AwsSettings settings = AwsTaskArgs.settings(input, region, endpoint, Duration.ofSeconds(60));
        input.requireString("env_file");
        Function<Map<String, Object>, String> envFile = AwsTaskArgs.perHost(input, "env_file");
        Function<Map<String, Object>, Optional<String>> sealFile = input.task().args().containsKey("seal_file")
                ? AwsTaskArgs.perHost(input, "seal_file").andThen(path -> Optional.of(path).filter(p -> !p.isEmpty()))
                : vars -> Optional.empty();
        return new AwsAudit(settings, new AwsAudit.Names(alias, users, policy, input.bool("policy_inline", false)),
                input.bool("manage_aws", true), envFile, sealFile, FleetSealReadings.from(input, envFile, sealFile), input.redactor());
    }
}
