package io.vaultcfg.plan;

/** Exit code and combined output of a remote command. */
public record CommandOutput(int exitCode, String output) {
}
