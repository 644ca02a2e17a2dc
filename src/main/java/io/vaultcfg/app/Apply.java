package io.vaultcfg.app;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.inventory.Inventory;
import io.vaultcfg.inventory.InventoryLoader;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.Playbook;
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.render.TemplateDirectoryTrust;
import io.vaultcfg.report.AuditTable;
import io.vaultcfg.report.ConsoleReporter;
import io.vaultcfg.report.JUnitReport;
import io.vaultcfg.report.JsonReport;
import io.vaultcfg.report.ProgressLine;
import io.vaultcfg.run.PlaybookRunner;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.RunOptions;
import io.vaultcfg.run.SealMigrationOption;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.ssh.SshConnector;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Runs one {@link ApplyRequest} the way {@code vaultcfg apply} does: variables gathered, inventory and playbook
 * loaded, every host prepared, the run, the console output and report, and the exit code. What the command line
 * and the lab both call.
 */
public final class Apply {
    static final String BUILTIN_PLAYBOOK = "playbooks/auto-unseal.yml";
    static final String BUILTIN_AUDIT_PLAYBOOK = "playbooks/audit.yml";
    static final String ENV_VAR_PREFIX = "VAULTCFG_VAR_";

    private final SshConnector connector;
    private final Map<String, String> environment;
    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private SealMigrationOption sealMigration = SealMigrationOption.OFF;

    /**
     * @param environment the process environment: {@code VAULTCFG_VAR_<name>} variables are read from it
     * @param stdin       read for {@code --vars-stdin} only
     */
    public Apply(SshConnector connector, Map<String, String> environment, InputStream stdin, PrintStream out, PrintStream err) {
        this.connector = connector;
        this.environment = environment;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    /**
     * {@code --migrate-seal}: Shamir nodes are migrated with these keys (none in check mode). The playbook variable
     * {@value SealMigrationOption#VARIABLE} always says whether it was given, whatever an inventory or {@code -e} set.
     */
    public Apply migratingSeal(SealMigrationOption option) {
        this.sealMigration = option;
        return this;
    }

    /** The exit code: see {@link RunResult#exitCode()}; bad input is one line on {@code err} and exit 1. */
    public int run(ApplyRequest request) {
        return run(request, BUILTIN_PLAYBOOK, "vaultcfg apply" + (request.check() ? " --check" : ""), "drift",
                new ConsoleReporter(out, request.verbose()));
    }

    /**
     * {@code vaultcfg audit}: the built-in audit playbook (unless the request names one), always in check mode, so
     * nothing is written anywhere; a finding is a change pending. Exit 0 all good, 2 findings, 1 error.
     */
    public int audit(ApplyRequest request) {
        return run(request.readOnly(), BUILTIN_AUDIT_PLAYBOOK, "vaultcfg audit", "finding", new AuditTable(out));
    }

    /**
     * {@code vaultcfg rotate-access-key}: the playbook (built-in unless named) with its access key rotation asked for,
     * through the variables its {@code aws_auto_unseal} task passes on (set after {@code -e}, so they win). Exit codes
     * as {@link #run}: with {@code --check} 2 means a rotation (or the end of one) is pending.
     *
     * @param olderThanDays rotate only when the key in use is at least this old
     * @param graceDays     the grace period of a deactivated key; empty: the playbook's
     */
    public int rotate(ApplyRequest request, java.util.OptionalInt olderThanDays, java.util.OptionalInt graceDays) {
        List<String> vars = new ArrayList<>(request.extraVars());
        vars.add("vaultcfg_rotate_access_key=true");
        olderThanDays.ifPresent(days -> vars.add("vaultcfg_rotate_older_than_days=" + days));
        graceDays.ifPresent(days -> vars.add("vaultcfg_access_key_grace_days=" + days));
        return run(request.withExtraVars(vars), BUILTIN_PLAYBOOK, "vaultcfg rotate-access-key" + (request.check() ? " --check" : ""),
                "drift", new ConsoleReporter(out, request.verbose()), Apply::requireRotation);
    }

    /**
     * A playbook whose AWS task does not pass the rotation on, or does not run (its condition false), would converge the
     * hosts without rotating anything: refused before any host is contacted.
     */
    private static void requireRotation(Playbook playbook, List<PlaybookRunner.PreparedPlay> prepared) {
        boolean passesRotation = playbook.plays().stream().flatMap(play -> play.tasks().stream())
                .anyMatch(task -> task.module().equals(ROTATING_MODULE) && task.args().containsKey("rotate_access_key"));
        if (!passesRotation) {
            throw new ConfigException(playbook.source(), ROTATING_MODULE, "rotate-access-key needs a task aws_auto_unseal with "
                    + "rotate_access_key: \"{{ vaultcfg_rotate_access_key }}\" (as in the built-in playbook); this playbook has none");
        }
        if (prepared.stream().noneMatch(play -> play.runsController(ROTATING_MODULE))) {
            throw new ConfigException(playbook.source(), ROTATING_MODULE, "rotate-access-key: the aws_auto_unseal task does not "
                    + "run (its condition is false, e.g. vaultcfg_manage_aws: false): vaultcfg does not manage the access key here");
        }
    }

    private static final String ROTATING_MODULE = "aws_auto_unseal";

    private int run(ApplyRequest request, String builtinPlaybook, String junitName, String pendingChange, RunListener console) {
        return run(request, builtinPlaybook, junitName, pendingChange, console, (playbook, prepared) -> { });
    }

    private int run(ApplyRequest request, String builtinPlaybook, String junitName, String pendingChange, RunListener console,
                    java.util.function.BiConsumer<Playbook, List<PlaybookRunner.PreparedPlay>> preparedCheck) {
        Redactor redactor = new Redactor();
        boolean started = false;
        JsonReport jsonReport = null;
        JUnitReport junitReport = null;
        ProgressLine progress = null;
        try {
            Map<String, Object> vars = collectVariables(request, redactor);
            vars.put(SealMigrationOption.VARIABLE, sealMigration.enabled());
            sealMigration.keys().ifPresent(keys -> keys.registerWith(redactor));
            RunOptions options = new RunOptions(request.check(), request.diff(), request.limit(), request.forks(), vars,
                    new LinkedHashSet<>(request.tags()), new LinkedHashSet<>(request.skipTags()), request.acceptNewHostKeys(),
                    request.connectTimeout(), templateDirs(request));
            Modules modules = Modules.builtin();
            Path playbook = request.playbook().orElse(null);
            Inventory hosts = InventoryLoader.load(request.inventory(), playbook == null ? null : playbook.toAbsolutePath().getParent());
            Playbook plays = playbook == null
                    ? new PlaybookLoader(modules).loadBuiltin(builtinPlaybook)
                    : new PlaybookLoader(modules).load(playbook);
            if (request.progress()) {
                progress = ProgressLine.startingNow(console, out);
                console = progress;
            }
            List<RunListener> listeners = new ArrayList<>(List.of(console));
            requireDistinctReports(request);
            if (request.report().isPresent()) {
                jsonReport = new JsonReport(request.report().get());
                openReport(jsonReport, request);
                listeners.add(jsonReport);
            }
            if (request.junit().isPresent()) {
                junitReport = new JUnitReport(request.junit().get(), junitName, pendingChange);
                openJUnit(junitReport, request.junit().get());
                listeners.add(junitReport);
            }
            PlaybookRunner runner = new PlaybookRunner(modules, connector, redactor).migratingSeal(sealMigration);
            PlaybookRunner.PreparedRun prepared = runner.prepare(hosts, plays, options,
                    preparedPlays -> preparedCheck.accept(plays, preparedPlays));
            started = true;
            return runner.run(prepared, options, RunListener.all(listeners)).exitCode();
        } catch (ConfigException e) {
            wipe(progress);
            err.println("error: " + redactor.redact(e.getMessage()));
            err.println(started ? STOPPED_PART_WAY : "Nothing was changed.");
            return RunResult.EXIT_FAILED;
        } catch (RuntimeException e) {
            wipe(progress);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            err.println("error: " + redactor.redact(message));
            if (started) {
                err.println(STOPPED_PART_WAY);
            }
            return RunResult.EXIT_FAILED;
        } finally {
            wipe(progress);
            if (jsonReport != null) {
                jsonReport.close();
            }
            if (junitReport != null) {
                junitReport.close();
            }
        }
    }

    /** The progress line is gone before an error is printed: the terminal shows the error alone. */
    private static void wipe(ProgressLine progress) {
        if (progress != null) {
            progress.close();
        }
    }

    private static void openReport(JsonReport json, ApplyRequest request) {
        try {
            json.open(request.check());
        } catch (IOException e) {
            throw new ConfigException(request.report().get().toString(), "--report", "cannot write the report: " + e.getMessage());
        }
    }

    private static void openJUnit(JUnitReport junit, Path file) {
        try {
            junit.open();
        } catch (IOException e) {
            throw new ConfigException(file.toString(), "--junit", "cannot write the report: " + e.getMessage());
        }
    }

    /** Both would be renamed over the same file at the end: one report would silently be lost. */
    private static void requireDistinctReports(ApplyRequest request) {
        if (request.report().isPresent() && request.junit().isPresent()
                && request.report().get().toAbsolutePath().normalize().equals(request.junit().get().toAbsolutePath().normalize())) {
            throw new ConfigException(request.junit().get().toString(), "--junit", "is the same file as --report");
        }
    }

    /** Said instead of "Nothing was changed." once hosts or AWS may have been changed. */
    static final String STOPPED_PART_WAY = "The run stopped part-way: changes made before this error (in AWS and on hosts) "
            + "stay; run again once it is fixed.";

    private Map<String, Object> collectVariables(ApplyRequest request, Redactor redactor) {
        Map<String, Object> vars = new LinkedHashMap<>();
        environment.forEach((name, value) -> {
            if (name.startsWith(ENV_VAR_PREFIX) && name.length() > ENV_VAR_PREFIX.length()) {
                vars.put(name.substring(ENV_VAR_PREFIX.length()), value);
            }
        });
        if (request.varsFromStdin()) {
            readStdinVariables(vars, redactor);
        }
        List<String> extraVars = request.extraVars();
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
    private static List<Path> templateDirs(ApplyRequest request) {
        List<Path> dirs = new ArrayList<>();
        if (request.templates().isPresent()) {
            Path templates = request.templates().get();
            if (!templates.toFile().isDirectory()) {
                throw new ConfigException(templates.toString(), "--templates", "not a directory");
            }
            TemplateDirectoryTrust.requireTrusted(templates, "--templates");
            dirs.add(templates);
        }
        if (request.playbook().isPresent()) {
            Path besidePlaybook = request.playbook().get().toAbsolutePath().getParent().resolve("templates");
            if (besidePlaybook.toFile().isDirectory()) {
                TemplateDirectoryTrust.requireTrusted(besidePlaybook, "templates beside the playbook");
                dirs.add(besidePlaybook);
            }
        }
        return dirs;
    }
}
