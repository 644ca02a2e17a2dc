package io.vaultcfg.module;

import java.util.Optional;

/**
 * The shell that waits on the host, in the apply script's round trip, until a node answers unsealed (or
 * uninitialized), or until {@code retries × delay} s have passed: a host cannot hold the run longer than its step's
 * budget. Right after a restart a node usually unseals within a second, so the first {@link #FAST_MILLIS} ms are
 * polled every {@link #FAST_STEP_MILLIS} ms (a {@code sleep} without fractions falls back to whole seconds), then
 * every {@code delay} s. Each poll starts the status probe and a {@code sleep}, nothing else: the answer is matched by
 * the shell itself, since every process on a host that restarts its node competes with that node's start-up.
 */
final class StatusPoll {
    /**
     * How often the first moments after a restart are polled: the roll waits for each node in turn. Half the former
     * 0.1 s, with three processes per poll instead of five (no grep, no pipe): about the processes per second the
     * former poll started, which matters when standalone nodes restart side by side on shared cores.
     */
    static final int FAST_STEP_MILLIS = 50;
    /** How long the fast polls last before the poll falls back to the task's {@code delay}. */
    static final int FAST_MILLIS = 2000;

    private StatusPoll() {
    }

    /**
     * Polls {@code statusCommand} until it answers unsealed or uninitialized, then prints its last answer; a node that
     * never did has its service's last lines printed after it ({@code service}).
     */
    static String shell(String statusCommand, int retries, int delay, Optional<String> service) {
        return ANSWERED_READY
                + "vc_waited=0\n"
                + "while :; do\n"
                + "  vc_out=$(" + statusCommand + " 2>&1) || true\n"
                + "  vc_ready && break\n"
                + "  [ \"$vc_waited\" -ge " + (long) retries * delay * 1000 + " ] && break\n"
                + "  if [ \"$vc_waited\" -lt " + FAST_MILLIS + " ]; then sleep " + seconds(FAST_STEP_MILLIS) + " 2>/dev/null "
                + "&& vc_waited=$((vc_waited + " + FAST_STEP_MILLIS + ")) || { sleep 1; vc_waited=$((vc_waited + 1000)); }\n"
                + "  else sleep " + delay + "; vc_waited=$((vc_waited + " + delay * 1000 + ")); fi\n"
                + "done\n"
                + "printf '%s\\n' \"$vc_out\"\n"
                + service.map(unit -> "vc_ready || {\n" + ServiceLog.shell(unit) + "}\n").orElse("");
    }

    /**
     * Whether {@code $vc_out} says {@code "sealed": false} or {@code "initialized": false}, with or without a blank on
     * either side of the colon: the API's compact JSON and the CLI's indented JSON. The reader judges the answer after.
     */
    private static final String ANSWERED_READY = "vc_ready() {\n"
            + "  case $vc_out in\n"
            + "    " + either("sealed") + "|" + either("initialized") + ") return 0 ;;\n"
            + "  esac\n"
            + "  return 1\n"
            + "}\n";

    private static String either(String key) {
        String quoted = "'\"" + key + "\"";
        return "*" + quoted + ":false'*|*" + quoted + ": false'*|*" + quoted + " :false'*|*" + quoted + " : false'*";
    }

    private static String seconds(int millis) {
        return String.format(java.util.Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }
}
