package io.vaultcfg.aws;

import java.util.List;

/**
 * A write that failed part-way through the AWS changes: the message says which change failed, what
 * AWS answered, and which changes were already made (they stay; the next run reads and continues).
 */
final class AppliedSoFar {
    private AppliedSoFar() {
    }

    static AwsFailure failure(String failed, String answer, List<String> done) {
        String made = done.isEmpty()
                ? "no AWS change was made before it"
                : "already made in AWS: " + String.join("; ", done);
        String hint = (answer.contains("NoSuchEntity") || answer.contains("NotFound")) && !answer.contains(IamPropagation.CREATED)
                ? " (it was there when this run read AWS: something else changed or deleted it since; run again)"
                : "";
        return new AwsFailure("could not " + failed + ": " + answer + hint + ". " + made
                + "; no host was changed");
    }
}
