package io.vaultcfg.module;

import io.vaultcfg.shell.Command;
import java.util.Arrays;
import java.util.List;

/**
 * The last lines a service printed, read on the host right after it failed to start or to answer, so
 * the report says why (a bad config line, a KMS error) without a second login. The journal when systemd
 * runs the host, else {@code systemctl status} (which shows the journal's last lines on a real host, and
 * the service's output under the lab's stand-in). The lines go through the run's Redactor with every
 * other message: they may quote a secret.
 */
final class ServiceLog {
    static final int LINES = 20;
    /** Separates a step's own output from the service's lines that follow it. */
    private static final String SEPARATOR = "--- vaultcfg: last lines of the service ---";

    private ServiceLog() {
    }

    /** Shell that prints the separator, then the unit's last lines; never fails. */
    static String shell(String unit) {
        String journal = Command.of("journalctl", "--no-pager", "-o", "cat", "-n", String.valueOf(LINES), "--unit=" + unit).render();
        String status = Command.of("systemctl", "status", "--no-pager", "--lines=" + LINES).operands(unit).render();
        return "echo '" + SEPARATOR + "'\n"
                + "if [ -d /run/systemd/system ] && command -v journalctl >/dev/null 2>&1; then " + journal + " 2>&1 || :; "
                + "else " + status + " 2>&1 || :; fi\n";
    }

    /** A step's output split into what the step printed and the service's lines (empty when none were read). */
    record Split(String own, List<String> serviceLines) {
        /** {@code "; last lines of UNIT: a | b"}, or nothing. */
        String suffix(String unit) {
            return serviceLines.isEmpty() ? "" : "; last lines of " + unit + ": " + String.join(" | ", serviceLines);
        }
    }

    static Split split(String output) {
        int at = output.lastIndexOf(SEPARATOR);
        if (at < 0) {
            return new Split(output, List.of());
        }
        String own = output.substring(0, at);
        List<String> lines = Arrays.stream(output.substring(at + SEPARATOR.length()).split("\n"))
                .map(String::strip).filter(line -> !line.isEmpty()).toList();
        return new Split(own, lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
    }
}
