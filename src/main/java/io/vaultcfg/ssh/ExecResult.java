package io.vaultcfg.ssh;

/** Outcome of one remote command. Output is kept in memory only, never written to disk. */
public record ExecResult(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
