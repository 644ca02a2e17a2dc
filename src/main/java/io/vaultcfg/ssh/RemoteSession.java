package io.vaultcfg.ssh;

import java.io.IOException;
import java.time.Duration;

/** One open connection to one host, reused for every command of a run. */
public interface RemoteSession extends AutoCloseable {
    /** The deadline of a command that names none: a quick read or write on a healthy host takes well under a second. */
    Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);
    /**
     * The most output (stdout and stderr together) kept from one command. The facts script carries each
     * managed file base64-encoded (at most ~1.4 MB each), so this leaves room for a dozen files; past it
     * the command is cut off rather than filling the controller's memory.
     */
    long MAX_OUTPUT_BYTES = 16L * 1024 * 1024;

    /** {@link #exec(String, byte[], Duration)} with {@link #DEFAULT_DEADLINE}. */
    default ExecResult exec(String command, byte[] stdin) throws IOException {
        return exec(command, stdin, DEFAULT_DEADLINE);
    }

    /**
     * Runs {@code command} through the remote user's shell, feeding {@code stdin} (may be empty) and
     * closing it. Secrets travel only on stdin, never in the command line, which other users can see.
     *
     * @param deadline how long the command may take, from start to exit status; past it the command's
     *                 channel is closed and {@link CommandTimeoutException} thrown
     * @throws OutputLimitException the command wrote more than {@link #MAX_OUTPUT_BYTES}; its channel is closed
     */
    ExecResult exec(String command, byte[] stdin, Duration deadline) throws IOException;

    @Override
    void close();
}
