package io.vaultcfg.lab;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A process as the lab started it: its pid, when it started and its command line. A pid alone may
 * since belong to an unrelated process, so the lab signals nothing whose identity no longer matches.
 */
public record ProcessIdentity(long pid, String started, String commandLine) {

    public static ProcessIdentity of(ProcessHandle process) {
        ProcessHandle.Info info = process.info();
        return new ProcessIdentity(process.pid(), info.startInstant().map(Instant::toString).orElse(null),
                info.commandLine().orElse(null));
    }

    /** The process with this pid, if there is one (it may be another process now: see {@link #isStill}). */
    public Optional<ProcessHandle> handle() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** Whether {@code process} is the very process recorded; an identity recorded without both facts matches nothing. */
    public boolean isStill(ProcessHandle process) {
        if (started == null || commandLine == null) {
            return false;
        }
        ProcessIdentity now = of(process);
        return now.pid == pid && Objects.equals(now.started, started) && Objects.equals(now.commandLine, commandLine);
    }
}
