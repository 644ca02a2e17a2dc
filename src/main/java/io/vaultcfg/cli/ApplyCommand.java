package io.vaultcfg.cli;

import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
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

    private final RunWiring wiring;

    public ApplyCommand() {
        this(RunWiring.ofThisProcess());
    }

    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err) {
        this(connector, environment, stdin, out, err, false);
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err, boolean terminal) {
        this(new RunWiring(connector, environment, stdin, out, err, terminal));
    }

    private ApplyCommand(RunWiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        return wiring.apply().run(request());
    }

    ApplyRequest request() {
        return shared.request(playbook, tasks, wiring.terminal());
    }
}
