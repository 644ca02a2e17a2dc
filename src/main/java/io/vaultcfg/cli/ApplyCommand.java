package io.vaultcfg.cli;

import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.run.SealMigrationOption;
import io.vaultcfg.secret.UnsealKeys;
import io.vaultcfg.ssh.SshConnector;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

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

    @Option(names = "--migrate-seal",
            description = "Migrate Shamir-sealed nodes to the awskms seal, one at a time (standbys first): the unseal keys "
                    + "are read from standard input, one per line, or asked for without echo on a terminal. "
                    + "Not with --vars-stdin")
    boolean migrateSeal;

    @Spec
    CommandSpec spec;

    private final RunWiring wiring;
    private final Console console;
    private final boolean stdinIsTerminal;

    public ApplyCommand() {
        this(RunWiring.ofThisProcess(), System.console(), UnsealKeyInput.stdinIsTerminal());
    }

    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err) {
        this(connector, environment, stdin, out, err, false);
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err, boolean terminal) {
        this(connector, environment, stdin, out, err, terminal, null, false);
    }

    /**
     * @param console         where the unseal keys are asked for without echo; null: they are read from {@code stdin}
     * @param stdinIsTerminal {@code stdin} is a terminal: without a console, keys read from it would be echoed (refused)
     */
    ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                 PrintStream err, boolean terminal, Console console, boolean stdinIsTerminal) {
        this(new RunWiring(connector, environment, stdin, out, err, terminal), console, stdinIsTerminal);
    }

    private ApplyCommand(RunWiring wiring, Console console, boolean stdinIsTerminal) {
        this.wiring = wiring;
        this.console = console;
        this.stdinIsTerminal = stdinIsTerminal;
    }

    @Override
    public Integer call() {
        if (migrateSeal && playbook.varsFromStdin) {
            throw new ParameterException(spec.commandLine(),
                    "--migrate-seal and --vars-stdin both read standard input; give secret variables as VAULTCFG_VAR_<name>");
        }
        SealMigrationOption migration = SealMigrationOption.OFF;
        if (migrateSeal) {
            try {
                // check mode sends nothing to a node: no key is asked for
                migration = SealMigrationOption.with(playbook.check ? Optional.empty()
                        : Optional.of(UnsealKeyInput.read(wiring.stdin(), console, stdinIsTerminal)));
            } catch (UnsealKeys.BadKey | IOException e) {
                wiring.err().println("error: --migrate-seal: " + (e instanceof IOException ? "cannot read the unseal keys: " : "")
                        + e.getMessage());
                wiring.err().println("Nothing was changed.");
                return 1;
            }
        }
        return wiring.apply().migratingSeal(migration).run(request());
    }

    ApplyRequest request() {
        return shared.request(playbook, tasks, wiring.terminal());
    }
}
