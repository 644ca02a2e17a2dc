package io.vaultcfg.run;

import io.vaultcfg.plan.StepStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every host result of a run, the recap, and the exit code. */
public record RunResult(boolean check, List<HostResult> hosts) {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_CHANGES_PENDING = 2;

    /** Ansible's PLAY RECAP counts, per host, over all plays. */
    public record Recap(long ok, long changed, long unreachable, long failed, long skipped) {
    }

    public Map<String, Recap> recap() {
        Map<String, Recap> recap = new LinkedHashMap<>();
        for (HostResult host : hosts) {
            Recap before = recap.getOrDefault(host.host(), new Recap(0, 0, 0, 0, 0));
            long failed = host.count(StepStatus.FAILED) + (host.failed() && host.count(StepStatus.FAILED) == 0 ? 1 : 0);
            recap.put(host.host(), new Recap(
                    before.ok() + host.count(StepStatus.OK),
                    before.changed() + host.count(StepStatus.CHANGED),
                    before.unreachable() + (host.unreachable() ? 1 : 0),
                    before.failed() + failed,
                    before.skipped() + host.count(StepStatus.SKIPPED)));
        }
        return recap;
    }

    public boolean anyFailure() {
        return hosts.stream().anyMatch(host -> host.unreachable() || host.failed());
    }

    public boolean anyChange() {
        return hosts.stream().anyMatch(host -> host.count(StepStatus.CHANGED) > 0);
    }

    /** Check: 0 in sync, 2 changes pending, 1 failure. Apply: 0 success, 1 any failure or unreachable host. */
    public int exitCode() {
        if (anyFailure()) {
            return EXIT_FAILED;
        }
        return check && anyChange() ? EXIT_CHANGES_PENDING : EXIT_OK;
    }
}
