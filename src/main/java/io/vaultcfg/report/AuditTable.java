package io.vaultcfg.report;

import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code vaultcfg audit} on the console: one row per host and check ({@code HOST  CHECK  RESULT  DETAIL}), printed
 * as each host finishes (the AWS checks as {@code controller}), then how many findings and errors. The audit runs in
 * check mode, where a finding is a change pending; a failed check or an unreachable host is an error (the audit could
 * not tell), and so is a KMS key disabled or pending deletion.
 */
public final class AuditTable implements RunListener {
    static final int CHECK_WIDTH = 52;

    private final PrintStream out;
    private int hostWidth = "HOST".length();
    private String controllerLabel = ConsoleReporter.CONTROLLER;
    private long findings;
    private long errors;

    public AuditTable(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.PlayStarted started) {
            controllerLabel = started.hosts().contains(ConsoleReporter.CONTROLLER) ? ConsoleReporter.CONTROLLER_IF_TAKEN
                    : ConsoleReporter.CONTROLLER;
            hostWidth = Math.max(controllerLabel.length(), started.hosts().stream().mapToInt(String::length).max().orElse(0));
            out.println();
            out.println("AUDIT [" + started.play() + "]: " + started.hosts().size() + (started.hosts().size() == 1 ? " host" : " hosts"));
            row("HOST", "CHECK", "RESULT", "DETAIL");
        } else {
            Optional<ReportRecord> record = ReportRecord.of(event);
            if (record.isPresent()) {
                rows(record.get());
            } else if (event instanceof RunEvent.RunFinished finished) {
                summary(finished.result());
            }
        }
        out.flush();
    }

    private void rows(ReportRecord record) {
        String host = record.host().orElse(controllerLabel);
        for (StepResult task : record.tasks()) {
            String result = switch (task.status()) {
                case CHANGED -> "FINDING";
                case FAILED -> "ERROR";
                case SKIPPED -> "skipped";
                case OK -> "ok";
            };
            findings += task.status() == StepStatus.CHANGED ? 1 : 0;
            errors += task.status() == StepStatus.FAILED ? 1 : 0;
            row(host, task.task(), result, task.message());
        }
        if (record.error().isPresent()) {
            errors++;
            row(host, "(" + record.status().label() + ")", "ERROR", record.error().get());
        }
    }

    private void row(String host, String check, String result, String detail) {
        String shortCheck = check.length() <= CHECK_WIDTH ? check : check.substring(0, CHECK_WIDTH - 3) + "...";
        out.printf("%-" + hostWidth + "s  %-" + CHECK_WIDTH + "s  %-7s  %s%n", host, shortCheck, result, detail);
    }

    private void summary(RunResult result) {
        out.println();
        out.println(findings + (findings == 1 ? " finding, " : " findings, ") + errors + (errors == 1 ? " error" : " errors")
                + " (exit code " + result.exitCode() + (result.exitCode() == RunResult.EXIT_FAILED
                ? ": see the errors: a check that could not be made, or a KMS key that is disabled or pending deletion)."
                : result.exitCode() == RunResult.EXIT_CHANGES_PENDING ? ": findings)." : ": every check passed)."));
    }
}
