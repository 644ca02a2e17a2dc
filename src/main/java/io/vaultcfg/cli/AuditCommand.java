package io.vaultcfg.cli;

import io.vaultcfg.app.Apply;
import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.SshConnector;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ListResourceBundle;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "audit", mixinStandardHelpOptions = true, resourceBundle = "io.vaultcfg.cli.AuditCommand$Help",
        description = {"Read-only: checks AWS (KMS key, IAM user, policy, access key age; with aws_region) and every host of the "
                + "inventory (vault.env mode 0600 and owner, no credentials in the configuration, the drop-in loaded by systemd, "
                + "node unsealed on the awskms seal) against the practices the built-in playbook sets up. Changes nothing.",
                "Exit codes: 0 = every check passed, 2 = findings, 1 = error (bad input, a host unreachable, a check that "
                        + "could not be read, or a KMS key disabled or pending deletion). A usage error exits 1."})
public final class AuditCommand implements Callable<Integer> {
    @Mixin
    SharedRunOptions shared;

    private final RunWiring wiring;

    public AuditCommand() {
        this(RunWiring.ofThisProcess());
    }

    /** @param terminal {@code out} is a terminal: a progress line is shown unless {@code --no-progress} */
    public AuditCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err, boolean terminal) {
        this(new RunWiring(connector, environment, stdin, out, err, terminal));
    }

    private AuditCommand(RunWiring wiring) {
        this.wiring = wiring;
    }

    @Override
    public Integer call() {
        return wiring.apply().audit(request());
    }

    /** {@link Apply#audit} makes it read-only. */
    ApplyRequest request() {
        return shared.request(new PlaybookOptions(), new TaskOptions(), wiring.terminal());
    }

    /** audit's wording of the shared options' help, by long option name. */
    public static final class Help extends ListResourceBundle {
        @Override
        protected Object[][] getContents() {
            return new Object[][] {
                    {"limit", "Only audit hosts matching this pattern"},
                    {"forks", "Hosts audited in parallel, 1 or more (default: ${DEFAULT-VALUE})"},
                    {"extra-vars", "Set a variable (highest precedence)"},
                    {"report", "Write the results as JSON (the schema of apply --report)"},
                    {"junit", "Write the results as JUnit XML: a finding is a failure"},
                    {"no-progress", "No progress line, even on a terminal"}};
        }
    }
}
