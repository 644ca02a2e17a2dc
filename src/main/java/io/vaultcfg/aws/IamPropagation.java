package io.vaultcfg.aws;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * IAM is eventually consistent: right after CreateUser or CreatePolicy, a call naming the new user or
 * policy (AttachUserPolicy, CreateAccessKey, TagUser) can answer NoSuchEntity for a few seconds. Such a
 * call is retried with doubling waits, a bounded number of times.
 *
 * @param attempts  calls in all, the first included
 * @param firstWait wait after the first NoSuchEntity; doubled after each one
 * @param maxWait   the longest single wait
 */
public record IamPropagation(int attempts, Duration firstWait, Duration maxWait) {
    /** 10 calls, 0.2 s doubling to 2 s: up to about 13 s of waiting. */
    public static final IamPropagation DEFAULT = new IamPropagation(10, Duration.ofMillis(200), Duration.ofSeconds(2));
    /** In the message of a write that ran out of attempts. */
    static final String CREATED = "was created by this run";

    public IamPropagation {
        if (attempts < 1 || firstWait.isNegative() || maxWait.compareTo(firstWait) < 0) {
            throw new IllegalArgumentException("attempts >= 1 and 0 <= firstWait <= maxWait");
        }
    }

    /**
     * Runs a write naming {@code entity}, created earlier in this run, as {@link AwsReader#call} does, retrying
     * while AWS answers that it does not exist.
     */
    <T> T call(String action, String entity, Supplier<T> request) {
        Duration wait = firstWait;
        Duration waited = Duration.ZERO;
        for (int attempt = 1; ; attempt++) {
            try {
                return AwsReader.call(action, request);
            } catch (AwsReader.NotFoundFlag notYet) {
                if (attempt >= attempts) {
                    throw new AwsFailure(notYet.getMessage() + " (" + entity + " " + CREATED + "; still not "
                            + "found after " + attempts + " attempts over " + seconds(waited) + " s of waiting for IAM to "
                            + "propagate it)");
                }
            }
            sleep(wait);
            waited = waited.plus(wait);
            wait = wait.multipliedBy(2).compareTo(maxWait) > 0 ? maxWait : wait.multipliedBy(2);
        }
    }

    private static String seconds(Duration duration) {
        return String.format(java.util.Locale.ROOT, "%.1f", duration.toMillis() / 1000.0);
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsFailure("interrupted while waiting for IAM to propagate a new user or policy");
        }
    }
}
