package io.vaultcfg.cli;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.inventory.InventoryLoader;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.Playbook;
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.render.TemplateDirectoryTrust;
import io.vaultcfg.report.ConsoleReporter;
import io.vaultcfg.report.JsonReport;
import io.vaultcfg.run.PlaybookRunner;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.RunOptions;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshjConnector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Runs a playbook against an inventory: reads every host's state, plans, then applies "
                + "(or, with --check, only shows the plan).",
                "Exit codes: with --check 0 = in sync, 2 = changes pending, 1 = error or failed/unreachable host; "
                        + "without --check 0 = success, 1 = any failure or unreachable host. "
                        + "A usage error (unknown option, bad value) exits 1."})
public final class ApplyCommand implements Callable<Integer> {
    static final String BUILTIN_PLAYBOOK = "playbooks/auto-unseal.yml";
    static final String ENV_VAR_PREFIX = "VAULTCFG_VAR_";

    @Mixin
    InventoryArgument inventory;

    @Option(names = {"-p", "--playbook"}, paramLabel = "PLAYBOOK",
            description = "Playbook to run (default: the built-in " + BUILTIN_PLAYBOOK + ")")
    Path playbook;

    @Option(names = {"-C", "--check"}, description = "Read only: show what would change; exit 2 when changes are pending")
    boolean check;

    @Option(names = {"-D", "--diff"}, description = "Show a unified diff of every file change (secrets redacted)")
    boolean diff;

    @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN", description = "Only touch hosts matching this pattern")
    String limit;

    @Option(names = {"-f", "--forks"}, defaultValue = "20", paramLabel = "FORKS", converter = CheckedValues.AtLeastOne.class,
            description = "Hosts handled in parallel, 1 or more (default: ${DEFAULT-VALUE})")
    int forks;

    @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE",
            description = "Set a variable (highest precedence). Secrets belong in VAULTCFG_VAR_<name> or --vars-stdin: "
                    + "-e values show in process listings")
    List<String> extraVars = new ArrayList<>();

    @Option(names = "--vars-stdin", description = "Read KEY=VALUE lines from standard input (for secrets)")
    boolean varsFromStdin;

    @Option(names = "--report", paramLabel = "FILE.json", description = "Write a machine-readable report")
    Path report;

    @Option(names = "--tags", split = ",", description = "Only run tasks with these tags")
    List<String> tags = new ArrayList<>();

    @Option(names = "--skip-tags", split = ",", description = "Skip tasks with these tags")
    List<String> skipTags = new ArrayList<>();

    @Option(names = "--templates", paramLabel = "DIR", description = "Look for templates here first")
    Path templates;

    @Option(names = "--ssh-accept-new",
            description = "Trust and record host keys seen for the first time (changed keys are still refused)")
    boolean acceptNewHostKeys;

    @Option(names = "--timeout", defaultValue = "10", paramLabel = "SECONDS", converter = CheckedValues.AtLeastOne.class,
            description = "SSH connect timeout in seconds, 1 or more (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = {"-v", "--verbose"},
            description = "Show every task of every host. Default: changed, failed, unreachable and skipped-for-a-reason "
                    + "lines; the hosts in sync as one count")
    boolean verbose;

    private final SshConnector connector;
    private final Map<String, String> environment;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;

    public ApplyCommand() {
        this(new SshjConnector(), System.getenv(), System.in, System.out, System.err);
    }

    public ApplyCommand(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out,
                        PrintStream err) {
        this.connector = connector;
        this.environment = environment;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        Path inventoryFile = inventory.path();
        Redactor redactor = new Redactor();
        boolean started = false;
        JsonReport jsonReport = null;
        try {
            Map<String, Object> vars = collectVariables(redactor);
            RunOptions options = new RunOptions(check, diff, Optional.ofNullable(limit), forks, vars,
                    new LinkedHashSet<>(tags), new LinkedHashSet<>(skipTags), acceptNewHostKeys,
                    Duration.ofSeconds(timeoutSeconds), templateDirs());
            Modules modules = Modules.builtin();
            Inventory hosts = InventoryLoader.load(inventoryFile, playbook == null ? null : playbook.toAbsolutePath().getParent());
            Playbook plays = playbook == null
                    ? new PlaybookLoader(modules).loadBuiltin(BUILTIN_PLAYBOOK)
                    : new PlaybookLoader(modules).load(playbook);
            List<RunListener> listeners = new ArrayList<>(List.of(new ConsoleReporter(out, verbose)));
            if (report != null) {
                jsonReport = new JsonReport(report);
                openReport(jsonReport, check);
                listeners.add(jsonReport);
            }
            PlaybookRunner runner = new PlaybookRunner(modules, connector, redactor);
            PlaybookRunner.PreparedRun prepared = runner.prepare(hosts, plays, options);
            started = true;
            return runner.run(prepared, options, RunListener.all(listeners)).exitCode();
        } catch (ConfigException e) {
            err.println("error: " + redactor.redact(e.getMessage()));
            err.println(started ? STOPPED_PART_WAY : "Nothing was changed.");
            return RunResult.EXIT_FAILED;
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("error: " + redactor.redact(message));
            if (started) {
                err.println(STOPPED_PART_WAY);
            }
            return RunResult.EXIT_FAILED;
        } finally {
            if (jsonReport != null) {
                jsonReport.close();
            }
        }
    }

    private void openReport(JsonReport json, boolean checkMode) {
        try {
            json.open(checkMode);
        } catch (IOException e) {
            throw new ConfigException(report.toString(), "--report", "cannot write the report: " + e.getMessage());
        }
    }

    /** Said instead of "Nothing was changed." once hosts or AWS may have been changed. */
    static final String STOPPED_PART_WAY = "The run stopped part-way: changes made before this error (in AWS and on hosts) "
            + "stay; run again once it is fixed.";

    private Map<String, Object> collectVariables(Redactor redactor) {
        Map<String, Object> vars = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_VAR_PREFIX) && name.length() > ENV_VAR_PREFIX.length()) {
                vars.put(name.substring(ENV_VAR_PREFIX.length()), value);
            }
        });
        if (varsFromStdin) {
            readStdinVariables(vars, redactor);
        }
        for (int i = 0; i < extraVars.size(); i++) {
            String assignment = extraVars.get(i);
            int equals = assignment.indexOf('=');
            if (equals <= 0) {
                // The text itself is not echoed: a mistyped -e may well be a bare secret.
                throw new ConfigException("command line", "-e", "argument " + (i + 1) + " of -e is not KEY=VALUE");
            }
            vars.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        }
        return vars;
    }

    /** Every value read from stdin is treated as secret: it is there precisely because it should not be seen. */
    private void readStdinVariables(Map<String, Object> vars, Redactor redactor) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int equals = line.indexOf('=');
                if (equals <= 0) {
                    throw new ConfigException("stdin:" + number, "--vars-stdin", "expected KEY=VALUE");
                }
                String value = line.substring(equals + 1);
                redactor.add(value);
                vars.put(line.substring(0, equals).trim(), value);
            }
        } catch (IOException e) {
            throw new ConfigException("stdin", "--vars-stdin", "cannot read: " + e.getMessage());
        }
    }

    /** Exactly these, then the built-in ones; a directory another user could change is refused. */
    private List<Path> templateDirs() {
        List<Path> dirs = new ArrayList<>();
        if (templates != null) {
            if (!templates.toFile().isDirectory()) {
                throw new ConfigException(templates.toString(), "--templates", "not a directory");
            }
            TemplateDirectoryTrust.requireTrusted(templates, "--templates");
            dirs.add(templates);
        }
        if (playbook != null) {
            Path besidePlaybook = playbook.toAbsolutePath().getParent().resolve("templates");
            if (besidePlaybook.toFile().isDirectory()) {
                TemplateDirectoryTrust.requireTrusted(besidePlaybook, "templates beside the playbook");
                dirs.add(besidePlaybook);
            }
        }
        return dirs;
    }
}
