package io.vaultcfg.run;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Ansible's stops between a play's batches: when every host of a batch failed, and when more than
 * {@code max_fail_percentage} of a batch failed (exceeded, not equalled). Unreachable hosts count as failed.
 */
final class FailureLimit {
    private FailureLimit() {
    }

    static Optional<String> afterBatch(Optional<Integer> maxFailPercentage, List<HostResult> batch) {
        List<HostResult> results = batch.stream().filter(Objects::nonNull).toList();
        if (results.isEmpty()) {
            return Optional.empty();
        }
        long failed = results.stream().filter(result -> result.failed() || result.unreachable()).count();
        if (failed == results.size()) {
            return Optional.of("not started: every host of the batch before failed, so the play stopped");
        }
        if (maxFailPercentage.isPresent() && failed * 100 > (long) maxFailPercentage.get() * results.size()) {
            return Optional.of("not started: " + failed + " of " + results.size() + " hosts of the batch before failed, "
                    + "more than max_fail_percentage " + maxFailPercentage.get() + "%, so the play stopped");
        }
        return Optional.empty();
    }
}
