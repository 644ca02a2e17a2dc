package io.vaultcfg.module;

import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.CleartextEndpoints;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.vars.Interpolator;
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
        String region = input.requireString("region");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw input.error("region", "expected an AWS region such as us-east-2");
        }
        String alias = input.optionalString("alias").orElse("alias/vault-auto-unseal");
        if (!alias.startsWith("alias/")) {
            throw input.error("alias", "expected alias/<name>");
        }
        Optional<URI> endpoint = input.optionalString("endpoint").map(text -> {
            CleartextEndpoints.refusal(text).ifPresent(why -> {
                throw input.error("endpoint", text + ": " + why);
            });
            return URI.create(text);
        });
        List<String> users = input.optionalString("user").map(List::of)
                .orElse(List.of(DefaultSealNames.user(alias, region), DefaultSealNames.LEGACY_USER));
        String policy = input.optionalString("policy_name").orElse(DefaultSealNames.policy(alias, region));
        AwsSettings settings = new AwsSettings(region, input.optionalString("profile"),
                input.optionalString("credentials_file").map(java.nio.file.Path::of), input.optionalString("assume_role_arn"),
                endpoint, Duration.ofSeconds(60));
        input.requireString("env_file");
        Function<Map<String, Object>, String> envFile = perHost(input, "env_file");
        Function<Map<String, Object>, Optional<String>> sealFile = input.task().args().containsKey("seal_file")
                ? perHost(input, "seal_file").andThen(path -> Optional.of(path).filter(p -> !p.isEmpty())) : vars -> Optional.empty();
        return new AwsAudit(settings, new AwsAudit.Names(alias, users, policy, input.bool("policy_inline", false)),
                input.bool("manage_aws", true), envFile, sealFile, FleetSealReadings.from(input, envFile, sealFile), input.redactor());
    }

    /** An argument resolved with each host's variables (the task itself sees the first host's only). */
    private static Function<Map<String, Object>, String> perHost(TaskInput input, String arg) {
        Object raw = input.task().args().get(arg);
        String location = input.task().argLocation(arg);
        return vars -> String.valueOf(Interpolator.resolve(raw, vars, location, arg));
    }
}
