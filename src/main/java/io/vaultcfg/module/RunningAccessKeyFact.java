package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.shell.Command;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access key id the unit's running main process was started with ({@code AWS_ACCESS_KEY_ID} in its environment,
 * read as root from {@code /proc/PID/environ}); empty when the unit has no main process, the environment cannot be
 * read (no root) or names no key. Only the id's line leaves the host: the secret in the same environment never does.
 * A node whose {@code vault.env} holds another key than the one it runs on still needs the restart that a run cut off
 * between writing the file and restarting never made.
 */
record RunningAccessKeyFact(String unit) implements CommandFact<Optional<String>> {
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");

    /** Three processes on the host (systemctl, tr, sed): the show's one line is taken apart by the shell itself. */
    @Override
    public String shell() {
        return "vc_pid=$(" + Command.of("systemctl", "show", "-p", "MainPID").operands(unit).render() + " 2>/dev/null)\n"
                + "case \"$vc_pid\" in MainPID=*) vc_pid=${vc_pid#MainPID=} ;; *) exit 0 ;; esac\n"
                + "case \"$vc_pid\" in ''|0|*[!0-9]*) exit 0 ;; esac\n"
                + "tr '\\000' '\\n' < \"/proc/$vc_pid/environ\" 2>/dev/null | sed -n '/^AWS_ACCESS_KEY_ID=/{s///p;q;}'\n";
    }

    @Override
    public Optional<String> parse(CommandOutput output) {
        String id = output.output().trim();
        return output.exitCode() == 0 && KEY_ID.matcher(id).matches() ? Optional.of(id) : Optional.empty();
    }
}
