package io.vaultcfg.run;

import io.vaultcfg.shell.ShellQuote;
import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.RemoteSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps secrets out of sudo's standard input, which a host with sudo's {@code log_input} (or session
 * recording) stores in its I/O log. Before the apply script goes to {@code sudo}, the login user itself,
 * without sudo, puts each secret input into a fresh 0700 directory of its own — in its runtime
 * directory or {@code /dev/shm} (memory) when it has one, else the temp directory — and the root script
 * reads them from there and removes the directory when it exits. A directory left by a killed run is
 * removed by the next one an hour later at the latest.
 */
final class SecretInputs {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String STAGE = """
            umask 077
            vc_dir=
            for vc_base in "${XDG_RUNTIME_DIR:-}" /dev/shm "${TMPDIR:-/tmp}"; do
              [ -n "$vc_base" ] && [ -d "$vc_base" ] && [ -w "$vc_base" ] || continue
              find "$vc_base" -maxdepth 1 -name 'vaultcfg-input.*' -user "$(id -u)" -mmin +60 -exec rm -rf -- {} + 2>/dev/null
              vc_dir=$(mktemp -d "$vc_base/vaultcfg-input.XXXXXXXX") && break
            done
            [ -n "$vc_dir" ] || { echo "no private directory for the secret input" >&2; exit 1; }
            while read -r vc_id vc_data; do
              case "$vc_id" in s[0-9]*) ;; *) rm -rf -- "$vc_dir"; exit 1 ;; esac
              printf '%s\\n' "$vc_data" > "$vc_dir/$vc_id" || { rm -rf -- "$vc_dir"; exit 1; }
            done
            printf '%s\\n' "$vc_dir"
            """;

    private SecretInputs() {
    }

    /** Whether secrets must go around sudo: only root can read the login user's private directory. */
    static boolean needed(Optional<String> becomeUser, Map<String, String> inputs) {
        return becomeUser.filter("root"::equals).isPresent() && !inputs.isEmpty();
    }

    /** Puts {@code inputs} (step id → base64) on the host as the login user; returns the directory. */
    static String stage(RemoteSession session, Map<String, String> inputs) throws IOException {
        StringBuilder lines = new StringBuilder();
        inputs.forEach((id, base64) -> lines.append(id).append(' ').append(base64).append('\n'));
        ExecResult staged = session.exec("sh -c " + ShellQuote.quote(STAGE), lines.toString().getBytes(StandardCharsets.UTF_8), DEADLINE);
        String dir = staged.stdout().strip();
        if (staged.exitCode() != 0 || !dir.startsWith("/") || dir.contains("\n") || dir.contains("'")) {
            throw new IOException("could not hand the secret to the host outside sudo"
                    + (staged.stderr().isBlank() ? "" : ": " + staged.stderr().strip().lines().reduce((a, b) -> b).orElse("")));
        }
        return dir;
    }

    /** Best effort after the apply script could not run (it removes the directory itself when it does). */
    static void discard(RemoteSession session, String dir) {
        try {
            session.exec("rm -rf -- " + ShellQuote.quote(dir), new byte[0], DEADLINE);
        } catch (IOException | RuntimeException ignored) {
            // the next run removes it
        }
    }
}
