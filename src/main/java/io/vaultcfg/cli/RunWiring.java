package io.vaultcfg.cli;

import io.vaultcfg.app.Apply;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshjConnector;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What a command that runs a playbook ({@code apply}, {@code audit}, {@code rotate-access-key}) works with: tests and
 * embedders give their own connector and streams.
 *
 * @param environment the process environment ({@code VAULTCFG_VAR_<name>} variables)
 * @param terminal    {@code out} is a terminal: a progress line is shown unless {@code --no-progress}
 */
record RunWiring(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out, PrintStream err,
                 boolean terminal) {
    static RunWiring ofThisProcess() {
        return new RunWiring(new SshjConnector(), System.getenv(), System.in, System.out, System.err, System.console() != null);
    }

    Apply apply() {
        return new Apply(connector, environment, stdin, out, err);
    }
}
