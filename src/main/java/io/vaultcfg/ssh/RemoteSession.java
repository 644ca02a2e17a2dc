package io.vaultcfg.ssh;

import java.io.IOException;

/** One open connection to one host, reused for every command of a run. */
public interface RemoteSession extends AutoCloseable {
    /**
     * Runs {@code command} through the remote user's shell, feeding {@code stdin} (may be empty) and
     * closing it. Secrets travel only on stdin, never in the command line, which other users can see.
     */
    ExecResult exec(String command, byte[] stdin) throws IOException;

    @Override
    void close();
}
