package io.vaultcfg.cli;

import io.vaultcfg.app.Apply;
import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshjConnector;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Runs a playbook against an inventory: reads every host's state, plans, then applies "
                + "(or, with --check, only shows the plan).",
                "Exit codes: with --check 0 = in sync, 2 = changes pending, 1 = error or failed/unreachable host; "
                        + "without --check 0 = success, 1 = any failure or unreachable host. "
                        + "A usage error (unknown option, bad value) exits 1."})
public final class ApplyCommand implements Callable<Integer> {
    @Mixin
    SharedRunOptions shared;

    @Mixin
    PlaybookOptions playbook;

    @Mixin
    TaskOptions tasks;

    private final SshConnector connector;
    private final Map<String, String> environment;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    public ApplyCommand() {
        this(new SshjConnector(), System.getenv(), System.in, System.out, System.err, System.console() != null);
    }

    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err) {
        this(connector, environment, stdin, out, err, false);
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err, boolean terminal) {
        this.terminal = terminal;
        this.connector = connector;
        this.environment = environment;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        return new Apply(connector, environment, stdin, out, err).run(request());
    }

    ApplyRequest request() {
        return shared.request(playbook, tasks, terminal);
    }
}
