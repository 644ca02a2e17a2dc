package io.vaultcfg.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The progress line on a (fake) terminal: counts as results arrive, rewritten in place, never mixed into the console's lines. */
class ProgressLineTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream terminal = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    final AtomicReference<Duration> clock = new AtomicReference<>(Duration.ZERO);
    final ProgressLine progress = new ProgressLine(new ConsoleReporter(terminal, false), terminal, clock::get);

    static HostResult host(String name, StepStatus status) {
        return new HostResult("deploy", name, false, List.of(new StepResult("env", "template", status, "would update /etc/app.env",
                Optional.empty())), Optional.empty());
    }

    static final HostResult UNREACHABLE = new HostResult("deploy", "web-3", true, List.of(), Optional.of("connection refused"));
    static final ControllerResult CONTROLLER_FAILED = new ControllerResult("deploy", List.of(), Optional.of("IAM said no"));

    /** What a terminal shows for this output: {@code \r} returns to the start of the line, later characters overwrite. */
    static List<String> screen(String output) {
        List<StringBuilder> rows = new ArrayList<>(List.of(new StringBuilder()));
        int column = 0;
        for (char c : output.toCharArray()) {
            StringBuilder row = rows.get(rows.size() - 1);
            if (c == '\r') {
                column = 0;
            } else if (c == '\n') {
                rows.add(new StringBuilder());
                column = 0;
            } else {
                if (column < row.length()) {
                    row.setCharAt(column, c);
                } else {
                    row.append(c);
                }
                column++;
            }
        }
        return rows.stream().map(row -> row.toString().stripTrailing()).toList();
    }

    String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    String bottomLine() {
        List<String> rows = screen(shown());
        return rows.get(rows.size() - 1);
    }

    @Test
    void countsHostsDoneFailuresAndElapsedTimeRewrittenInPlace() {
        progress.on(new RunEvent.PlayStarted("deploy", List.of("web-1", "web-2", "web-3"), true, true));
        assertThat(bottomLine()).isEqualTo("[deploy] 0/3 hosts, 0 failures, 0:00");

        clock.set(Duration.ofSeconds(65));
        progress.on(new RunEvent.ControllerFinished(CONTROLLER_FAILED));
        progress.on(new RunEvent.HostFinished(host("web-1", StepStatus.OK)));
        assertThat(bottomLine()).isEqualTo("[deploy] 1/3 hosts, 1 failure, 1:05");

        clock.set(Duration.ofHours(1).plusSeconds(7));
        progress.on(new RunEvent.HostFinished(UNREACHABLE));
        assertThat(bottomLine()).isEqualTo("[deploy] 2/3 hosts, 2 failures, 1:00:07");
        assertThat(shown()).doesNotContain("\n[deploy]");
    }

    /** With the line wiped before each console print, the screen reads exactly as the console alone would. */
    @Test
    void theConsoleLinesAreNeverInterleavedWithTheProgressLineAndTheRecapLeavesNoTrace() {
        List<RunEvent> run = List.of(
                new RunEvent.PlayStarted("deploy", List.of("web-1", "web-2", "web-3"), true, true),
                new RunEvent.ControllerFinished(CONTROLLER_FAILED),
                new RunEvent.HostFinished(host("web-1", StepStatus.CHANGED)),
                new RunEvent.HostFinished(UNREACHABLE),
                new RunEvent.HostFinished(host("web-2", StepStatus.OK)),
                new RunEvent.RunFinished(RunResult.of(true, List.of(host("web-1", StepStatus.CHANGED), UNREACHABLE,
                        host("web-2", StepStatus.OK)), List.of(CONTROLLER_FAILED))));
        ByteArrayOutputStream consoleAlone = new ByteArrayOutputStream();
        ConsoleReporter plain = new ConsoleReporter(new PrintStream(consoleAlone, true, StandardCharsets.UTF_8), false);

        for (RunEvent event : run) {
            progress.on(event);
            plain.on(event);
            if (!(event instanceof RunEvent.RunFinished)) {
                assertThat(bottomLine()).startsWith("[deploy] ");
            }
        }

        assertThat(screen(shown())).isEqualTo(screen(consoleAlone.toString(StandardCharsets.UTF_8)));
        assertThat(shown()).contains("\r[deploy] 3/3 hosts, 2 failures");
    }

    @Test
    void closingWipesTheLineSoAnErrorPrintedAfterItStandsAlone() {
        progress.on(new RunEvent.PlayStarted("deploy", List.of("web-1"), false, false));
        progress.close();
        terminal.print("error: something\n");

        assertThat(screen(shown())).endsWith("error: something", "");
    }

    @Test
    void aLongPlayNameIsCutSoTheLineFitsItsColumns() {
        progress.on(new RunEvent.PlayStarted("x".repeat(200), List.of("web-1"), false, false));

        assertThat(bottomLine()).hasSizeLessThanOrEqualTo(ProgressLine.WIDTH).endsWith("...] 0/1 host, 0 failures, 0:00");
    }
}
