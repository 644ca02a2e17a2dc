package io.vaultcfg.module;

import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.CleartextEndpoints;
import io.vaultcfg.vars.Interpolator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The arguments {@code aws_auto_unseal} and {@code audit_aws} read alike: the region, where and as whom AWS is called,
 * and arguments resolved with each host's variables.
 */
final class AwsTaskArgs {
    private AwsTaskArgs() {
    }

    static String region(TaskInput input) {
        String region = input.requireString("region");
        if (!region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
            throw input.error("region", "expected an AWS region such as us-east-2");
        }
        return region;
    }

    /** Another endpoint than AWS's (an emulator); one {@link CleartextEndpoints} refuses is an error. */
    static Optional<URI> endpoint(TaskInput input) {
        return input.optionalString("endpoint").map(text -> {
            CleartextEndpoints.refusal(text).ifPresent(why -> {
                throw input.error("endpoint", text + ": " + why);
            });
            return URI.create(text);
        });
    }

    static AwsSettings settings(TaskInput input, String region, Optional<URI> endpoint, Duration preflightTimeout) {
        return new AwsSettings(region, input.optionalString("profile"), input.optionalString("credentials_file").map(Path::of),
                input.optionalString("assume_role_arn"), endpoint, preflightTimeout);
    }

    /** An argument resolved with each host's variables (the task itself sees the first host's only). */
    static Function<Map<String, Object>, String> perHost(TaskInput input, String arg) {
        Object raw = input.task().args().get(arg);
        String location = input.task().argLocation(arg);
        return vars -> String.valueOf(Interpolator.resolve(raw, vars, location, arg));
    }
}
