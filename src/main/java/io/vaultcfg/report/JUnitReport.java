package io.vaultcfg.report;

import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.StepResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code --junit FILE.xml}: the run as JUnit XML, so a CI system shows each host's tasks as tests. One
 * {@code <testsuite>} per play, one {@code <testcase>} per task of each host (classname {@code PLAY/HOST}, name the
 * task) and of the controller (classname {@code PLAY/controller}, or {@code PLAY/[controller]} when the play has a
 * host called {@code controller}, as on the console), plus one named {@code (unreachable)} or {@code (failed)} for a
 * host's or the controller's error. What each becomes:
 * <ul>
 *   <li>in check mode, a task with a change pending: {@code <failure type="drift">} (for an audit,
 *       {@code "finding"}), the planned change as message,
 *       its diff (with {@code --diff}) as text: drift is a failed test;</li>
 *   <li>a failed task, an unreachable or failed host: {@code <error>} (type {@code failed} or {@code unreachable});</li>
 *   <li>a skipped task: {@code <skipped>} with the reason;</li>
 *   <li>otherwise (ok, or changed when applying) a passed test whose {@code <system-out>} is the task's line.</li>
 * </ul>
 * Written from the same {@link ReportRecord}s as the JSON report. Test cases are streamed to one part file per
 * play as results arrive (a suite's counts are only known at its end, and they come first in the XML); the
 * document is assembled beside the target and renamed over it once the run finished, as the JSON report is.
 */
public final class JUnitReport implements RunListener, AutoCloseable {
    private final Path file;
    private final String name;
    private final String pendingChange;
    private final List<Suite> suites = new ArrayList<>();
    private Path temp;
    private Suite current;
    private boolean check;
    private boolean finished;

    /** One play: its test cases go to {@code body} while it runs. */
    private static final class Suite {
        final String name;
        final Set<String> hosts;
        final Path body;
        Writer writer;
        long tests;
        long failures;
        long errors;
        long skipped;

        Suite(String name, Set<String> hosts, Path body) throws IOException {
            this.name = name;
            this.hosts = hosts;
            this.body = body;
            this.writer = Files.newBufferedWriter(body, StandardCharsets.UTF_8);
        }

        void end() throws IOException {
            if (writer != null) {
                writer.close();
                writer = null;
            }
        }
    }

    /**
     * @param name          the {@code <testsuites>} name, e.g. {@code vaultcfg apply --check}
     * @param pendingChange the failure type of a change pending in check mode: {@code drift}, or {@code finding} for an audit
     */
    public JUnitReport(Path file, String name, String pendingChange) {
        this.file = file;
        this.name = name;
        this.pendingChange = pendingChange;
    }

    @Override
    public synchronized void on(RunEvent event) {
        try {
            Optional<ReportRecord> record = ReportRecord.of(event);
            if (event instanceof RunEvent.PlayStarted started) {
                check = started.check();
                startSuite(started.play(), Set.copyOf(started.hosts()));
            } else if (record.isPresent()) {
                write(record.get());
            } else if (event instanceof RunEvent.RunFinished finished) {
                check = finished.result().check();
                end();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write JUnit report " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the temp file now (before any host is contacted, so a report that cannot be written stops nothing half-way). */
    public synchronized void open() throws IOException {
        if (temp != null) {
            return;
        }
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        temp = Files.createTempFile(dir, ".vaultcfg-junit", ".xml");
    }

    private void startSuite(String play, Set<String> hosts) throws IOException {
        open();
        if (current != null) {
            current.end();
        }
        current = new Suite(play, hosts, Files.createTempFile(temp.getParent(), ".vaultcfg-junit", ".part"));
        suites.add(current);
    }

    private void write(ReportRecord record) throws IOException {
        if (current == null) {
            startSuite(record.play(), Set.of());
        }
        String classname = record.play() + "/" + record.host().orElse(controllerLabel());
        for (StepResult task : record.tasks()) {
            testCase(classname, task);
        }
        if (record.error().isPresent()) {
            current.tests++;
            current.errors++;
            startCase(classname, "(" + record.status().label() + ")");
            element("error", record.status().label(), record.error().get(), Optional.empty());
            endCase();
        }
        current.writer.flush();
    }

    /** As on the console: the controller's lines must not read like those of a host called {@code controller}. */
    private String controllerLabel() {
        return current.hosts.contains(ConsoleReporter.CONTROLLER) ? ConsoleReporter.CONTROLLER_IF_TAKEN : ConsoleReporter.CONTROLLER;
    }

    private void testCase(String classname, StepResult task) throws IOException {
        current.tests++;
        startCase(classname, task.task());
        if (task.status() == StepStatus.FAILED) {
            current.errors++;
            element("error", "failed", task.message(), task.diff());
        } else if (task.status() == StepStatus.CHANGED && check) {
            current.failures++;
            element("failure", pendingChange, task.message(), task.diff());
        } else if (task.status() == StepStatus.SKIPPED) {
            current.skipped++;
            current.writer.write("      <skipped message=\"" + XmlText.attribute(task.message()) + "\"/>\n");
        } else {
            current.writer.write("      <system-out>" + XmlText.text(task.status().label() + ": " + task.message()
                    + task.diff().map(diff -> "\n" + diff).orElse("")) + "</system-out>\n");
        }
        endCase();
    }

    private void startCase(String classname, String name) throws IOException {
        current.writer.write("    <testcase classname=\"" + XmlText.attribute(classname) + "\" name=\"" + XmlText.attribute(name)
                + "\">\n");
    }

    private void endCase() throws IOException {
        current.writer.write("    </testcase>\n");
    }

    private void element(String element, String type, String message, Optional<String> diff) throws IOException {
        current.writer.write("      <" + element + " type=\"" + type + "\" message=\"" + XmlText.attribute(message) + "\">"
                + XmlText.text(message + diff.map(text -> "\n" + text).orElse("")) + "</" + element + ">\n");
    }

    private void end() throws IOException {
        open();
        if (current != null) {
            current.end();
        }
        try (OutputStream out = Files.newOutputStream(temp)) {
            out.write(header().getBytes(StandardCharsets.UTF_8));
            for (Suite suite : suites) {
                out.write(("  <testsuite name=\"" + XmlText.attribute(suite.name) + "\"" + counts(suite.tests, suite.failures,
                        suite.errors, suite.skipped) + ">\n").getBytes(StandardCharsets.UTF_8));
                Files.copy(suite.body, out);
                out.write("  </testsuite>\n".getBytes(StandardCharsets.UTF_8));
            }
            out.write("</testsuites>\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        finished = true;
        removeParts();
    }

    private String header() {
        long tests = suites.stream().mapToLong(suite -> suite.tests).sum();
        long failures = suites.stream().mapToLong(suite -> suite.failures).sum();
        long errors = suites.stream().mapToLong(suite -> suite.errors).sum();
        long skipped = suites.stream().mapToLong(suite -> suite.skipped).sum();
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" + XmlText.attribute(name) + "\""
                + counts(tests, failures, errors, skipped) + ">\n";
    }

    private static String counts(long tests, long failures, long errors, long skipped) {
        return " tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped + "\"";
    }

    private void removeParts() {
        for (Suite suite : suites) {
            try {
                suite.end();
                Files.deleteIfExists(suite.body);
            } catch (IOException ignored) {
                // a hidden part file is all that is left
            }
        }
    }

    /** A run that ended before its recap leaves no report, and no temp or part file either. */
    @Override
    public synchronized void close() {
        removeParts();
        if (finished || temp == null) {
            return;
        }
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // a hidden, empty temp file is all that is left
        }
    }
}
