package io.vaultcfg.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process's start time as Linux counts it (clock ticks since boot, field 22 of /proc/PID/stat): what
 * the hosts' systemctl stand-in records next to a service's pid. It stays the same across exec, which a
 * service does on its way up (setsid, env, sh, then the server), so it identifies the process where a
 * command line cannot.
 */
final class KernelStartTime {
    private static final int FIELDS_BEFORE_START_TIME = 19;

    private KernelStartTime() {
    }

    static Optional<String> of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ") ".
            int afterName = stat.lastIndexOf(") ");
            if (afterName < 0) {
                return Optional.empty();
            }
            String[] fields = stat.substring(afterName + 2).trim().split(" ");
            return fields.length > FIELDS_BEFORE_START_TIME ? Optional.of(fields[FIELDS_BEFORE_START_TIME]) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
