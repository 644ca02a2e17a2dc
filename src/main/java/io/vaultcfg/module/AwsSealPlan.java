package io.vaultcfg.module;

import io.vaultcfg.aws.AwsChange;
import io.vaultcfg.aws.AwsPlan;
import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.plan.Unknown;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS plan of one play as a value: the changes to make ({@code aws}, empty when the input was refused),
 * its lines, and the variables the hosts get, {@link Unknown} where only applying can tell (a key or an
 * access key still to be created).
 *
 * @param envFiles the env file of each targeted host that was read
 * @param retireAfterHosts access keys to deactivate once every targeted host holds the fleet's key and unsealed with it
 *                         (a rotation's old key)
 */
record AwsSealPlan(Optional<AwsPlan> aws, List<Step> steps, Map<String, Object> exports, Map<String, String> envFiles,
                   Set<String> retireAfterHosts) implements ControllerPlan {
    static final Set<String> EXPORTS = Set.of("aws_account_id", "kms_key_id", "kms_key_arn", "aws_access_key_id",
            "aws_secret_access_key");

    /** Input that names what is not there: shown as the controller's failed step, before any AWS write. */
    static AwsSealPlan refused(AwsState state, String region, String why) {
        return new AwsSealPlan(Optional.empty(), List.of(account(state, region), Step.failed(why)), Map.of(), Map.of(),
                Set.of());
    }

    static AwsSealPlan of(AwsPlan plan, String region, Map<String, String> envFiles) {
        return of(plan, region, envFiles, Set.of());
    }

    static AwsSealPlan of(AwsPlan plan, String region, Map<String, String> envFiles, Set<String> retireAfterHosts) {
        List<Step> steps = new ArrayList<>();
        steps.add(account(plan.state(), region));
        plan.stop().ifPresent(reason -> steps.add(Step.failed(reason)));
        for (AwsChange change : plan.changes()) {
            steps.add(new Step("", "", StepStatus.CHANGED, change.describe(), Optional.empty(), Optional.empty(), false,
                    List.of()).previewedAs(StepStatus.CHANGED, "would " + change.describe()));
        }
        plan.notes().forEach(note -> steps.add(Step.ok(note)));
        if (plan.changes().isEmpty() && plan.stop().isEmpty()) {
            steps.add(Step.ok("in sync: key " + plan.keyId().orElse("?") + " (rotation on), user " + plan.names().userName()
                    + ", least-privilege policy, access key " + plan.reuse().map(HeldCredentials::accessKeyId).orElse("?")));
        }
        Map<String, Object> exports = exports(plan.state().account(),
                plan.keyId().map(Object.class::cast).orElse(new Unknown("kms_key_id")),
                plan.keyArn().map(Object.class::cast).orElse(new Unknown("kms_key_arn")),
                plan.reuse().map(Object.class::cast).orElse(null));
        return new AwsSealPlan(Optional.of(plan), List.copyOf(steps), exports, Map.copyOf(envFiles),
                plan.stop().isPresent() ? Set.of() : Set.copyOf(retireAfterHosts));
    }

    /** The one list of what the task provides; {@code credentials} a {@link HeldCredentials}, or null when unknown. */
    static Map<String, Object> exports(String account, Object keyId, Object keyArn, Object credentials) {
        Map<String, Object> exports = new LinkedHashMap<>();
        exports.put("aws_account_id", account);
        exports.put("kms_key_id", keyId);
        exports.put("kms_key_arn", keyArn);
        if (credentials instanceof HeldCredentials pair) {
            exports.put("aws_access_key_id", pair.accessKeyId());
            exports.put("aws_secret_access_key", pair.secretAccessKey());
        } else {
            exports.put("aws_access_key_id", new Unknown("aws_access_key_id"));
            exports.put("aws_secret_access_key", new Unknown("aws_secret_access_key"));
        }
        if (!exports.keySet().equals(EXPORTS)) {
            throw new IllegalStateException("exports out of step with EXPORTS: " + exports.keySet());
        }
        return exports;
    }

    private static Step account(AwsState state, String region) {
        return Step.ok("AWS account " + state.account() + " as " + state.callerArn() + ", region " + region);
    }
}
