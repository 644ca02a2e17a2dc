package io.vaultcfg.module;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.SystemdProperties;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The access key id the unit's running main process was started with ({@code AWS_ACCESS_KEY_ID} in its environment,
 * read as root from {@code /proc/PID/environ}), or that it runs with none; not read when the unit has no main process
 * or the environment cannot be read (no root). Only the id's line leaves the host: the secret in the same environment
 * never does. A node whose {@code vault.env} holds another key than the one it runs on, or that was started before it
 * held any (a Shamir node being migrated), still needs the restart that a run cut off between writing the file and
 * restarting never made.
 */
record RunningAccessKeyFact(String unit) implements CommandFact<RunningAccessKeyFact.Running>, SystemdProperties {
    private static final Pattern KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");
    private static final String READ = "@@vc-environ-read";

    /** @param read the main process's environment was read; {@code keyId} is then the key it runs on, if any */
    record Running(boolean read, Optional<String> keyId) {
        static final Running UNKNOWN = new Running(false, Optional.empty());
    }

    @Override
    public List<String> systemdProperties() {
        return List.of("MainPID");
    }

    /**
     * One process on the host (sed) besides the facts script's one systemctl for the unit: the pid is taken from show's
     * line by the shell itself, and sed reads the environment's NUL-separated entries as they are ({@code -z}), each
     * printed entry ending in a NUL. Run on its own, the shell calls systemctl itself.
     */
    @Override
    public String shell() {
        return SystemdShow.into("vc_show", this)
                + SystemdShow.property("vc_pid", "vc_show", "MainPID")
                + "case \"${vc_pid-none}\" in ''|0|*[!0-9]*) exit 0 ;; esac\n"
                + "sed -zn '/^AWS_ACCESS_KEY_ID=/{s///p;}; ${s/.*/" + READ + "/p;}' 2>/dev/null < \"/proc/$vc_pid/environ\"\n";
    }

    @Override
    public Running parse(CommandOutput output) {
        List<String> lines = Arrays.stream(output.output().split("[\n\u0000]")).map(String::trim).toList();
        if (output.exitCode() != 0 || !lines.contains(READ)) {
            return Running.UNKNOWN;
        }
        Optional<String> id = lines.stream().filter(line -> KEY_ID.matcher(line).matches()).findFirst();
        return new Running(true, id);
    }
}
