package io.vaultcfg.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import io.vaultcfg.testing.JUnitXml;
import io.vaultcfg.testing.JUnitXml.Case;
import io.vaultcfg.testing.JUnitXml.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JUnit XML report from the run's events: one test case per host and task, drift as failures in check mode. */
class JUnitReportTest {
    @TempDir
    Path dir;

    static StepResult step(String task, StepStatus status, String message) {
        return new StepResult(task, "file", status, message, Optional.empty());
    }

    static final ControllerResult CONTROLLER = new ControllerResult("p", List.of(
            step("aws", StepStatus.CHANGED, "would create KMS key"), step("account", StepStatus.OK, "read account 1234")),
            Optional.empty());
    /** A host that is called controller: its cases must not read like the controller's. */
    static final HostResult DRIFTED = new HostResult("p", "controller", false, List.of(
            step("dir", StepStatus.OK, "in sync"),
            new StepResult("env", "template", StepStatus.CHANGED, "would update /etc/app.env", Optional.of("-A=1\n+A=2")),
            step("probe", StepStatus.SKIPPED, "not run in check mode")), Optional.empty());
    static final HostResult FAILED = new HostResult("p", "web-3", false, List.of(
            step("dir", StepStatus.OK, "in sync"),
            step("seal", StepStatus.FAILED, "node uses Shamir: \u001b[31mred\u001b[0m <&> \"quoted\"\nsecond line")),
            Optional.of("nothing was changed on this host"));
    static final HostResult UNREACHABLE = new HostResult("p", "web-2", true, List.of(), Optional.of("connection refused"));
    static final HostResult IN_SYNC = new HostResult("second play", "web-1.example.com", false, List.of(
            step("dir", StepStatus.OK, "in sync")), Optional.empty());

    static final List<RunEvent> CHECK_RUN = List.of(
            new RunEvent.PlayStarted("p", List.of("controller", "web-2", "web-3"), true, true),
            new RunEvent.ControllerFinished(CONTROLLER),
            new RunEvent.HostFinished(UNREACHABLE),
            new RunEvent.HostFinished(DRIFTED),
            new RunEvent.HostFinished(FAILED),
            new RunEvent.PlayStarted("second play", List.of("web-1.example.com"), false, true),
            new RunEvent.HostFinished(IN_SYNC),
            new RunEvent.RunFinished(RunResult.of(true, List.of(DRIFTED, UNREACHABLE, FAILED, IN_SYNC), List.of(CONTROLLER))));

    static void feed(RunListener listener, List<RunEvent> events) {
        events.forEach(listener::on);
    }

    List<Case> write(List<RunEvent> events) throws IOException {
        Path file = dir.resolve("junit.xml");
        try (JUnitReport report = new JUnitReport(file, "vaultcfg apply --check", "drift")) {
            report.open();
            feed(report, events);
        }
        return JUnitXml.read(file);
    }

    @Test
    void everyTaskOfEveryHostIsATestCaseAndDriftIsAFailureInCheckMode() throws IOException {
        List<Case> cases = write(CHECK_RUN);

        assertThat(cases).extracting(Case::suite, Case::classname, Case::name, Case::outcome, Case::type).containsExactly(
                tuple("p", "p/[controller]", "aws", Outcome.FAILURE, "drift"),
                tuple("p", "p/[controller]", "account", Outcome.PASSED, ""),
                tuple("p", "p/web-2", "(unreachable)", Outcome.ERROR, "unreachable"),
                tuple("p", "p/controller", "dir", Outcome.PASSED, ""),
                tuple("p", "p/controller", "env", Outcome.FAILURE, "drift"),
                tuple("p", "p/controller", "probe", Outcome.SKIPPED, ""),
                tuple("p", "p/web-3", "dir", Outcome.PASSED, ""),
                tuple("p", "p/web-3", "seal", Outcome.ERROR, "failed"),
                tuple("p", "p/web-3", "(failed)", Outcome.ERROR, "failed"),
                tuple("second play", "second play/web-1.example.com", "dir", Outcome.PASSED, ""));
        Case env = cases.get(4);
        assertThat(env.message()).isEqualTo("would update /etc/app.env");
        assertThat(env.text()).isEqualTo("would update /etc/app.env\n-A=1\n+A=2");
        assertThat(cases.get(5).message()).isEqualTo("not run in check mode");
        assertThat(cases.get(2).message()).isEqualTo("connection refused");
        assertThat(cases.get(1).systemOut()).isEqualTo("ok: read account 1234");
        assertThat(cases.get(8).message()).isEqualTo("nothing was changed on this host");
    }

    @Test
    void characterXmlCannotCarryAreShownNotDroppedAndMarkupStaysText() throws IOException {
        Case seal = write(CHECK_RUN).get(7);

        assertThat(seal.message()).isEqualTo("node uses Shamir: \\u001B[31mred\\u001B[0m <&> \"quoted\"\nsecond line");
        assertThat(seal.text()).isEqualTo(seal.message());
    }

    @Test
    void theControllerIsCalledControllerWhenNoHostIsAndAChangeAppliedIsAPassedTest() throws IOException {
        HostResult applied = new HostResult("p", "web-1", false, List.of(
                new StepResult("env", "template", StepStatus.CHANGED, "updated /etc/app.env", Optional.of("-A=1\n+A=2"))),
                Optional.empty());
        ControllerResult controller = new ControllerResult("p", List.of(step("aws", StepStatus.CHANGED, "created KMS key")),
                Optional.of("IAM said no"));
        List<Case> cases = write(List.of(new RunEvent.PlayStarted("p", List.of("web-1"), true, false),
                new RunEvent.ControllerFinished(controller), new RunEvent.HostFinished(applied),
                new RunEvent.RunFinished(RunResult.of(false, List.of(applied), List.of(controller)))));

        assertThat(cases).extracting(Case::classname, Case::name, Case::outcome).containsExactly(
                tuple("p/controller", "aws", Outcome.PASSED),
                tuple("p/controller", "(failed)", Outcome.ERROR),
                tuple("p/web-1", "env", Outcome.PASSED));
        assertThat(cases.get(2).systemOut()).isEqualTo("changed: updated /etc/app.env\n-A=1\n+A=2");
    }

    /** The JSON report and the JUnit XML, fed the same run, hold the same results: a case per task, one more per error. */
    @Test
    void theJsonReportAndTheJUnitXmlAgreeOnEveryResult() throws IOException {
        Path json = dir.resolve("report.json");
        try (JsonReport report = new JsonReport(json)) {
            feed(report, CHECK_RUN);
        }
        List<Case> cases = write(CHECK_RUN);

        assertThat(cases).extracting(c -> c.classname() + " " + c.name()).containsExactlyElementsOf(expectedCases(json));
    }

    /** The test cases a JSON report's results call for, in order: PLAY/HOST TASK, and PLAY/HOST (status) for an error. */
    static List<String> expectedCases(Path json) throws IOException {
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        Set<String> playsWithAHostCalledController = new HashSet<>();
        report.get("results").forEach(result -> {
            if (result.path("host").asText().equals("controller")) {
                playsWithAHostCalledController.add(result.get("play").asText());
            }
        });
        List<String> expected = new ArrayList<>();
        for (JsonNode result : report.get("results")) {
            String play = result.get("play").asText();
            String who = result.get("kind").asText().equals("host") ? result.get("host").asText()
                    : playsWithAHostCalledController.contains(play) ? "[controller]" : "controller";
            result.get("tasks").forEach(task -> expected.add(play + "/" + who + " " + task.get("task").asText()));
            if (result.has("error")) {
                expected.add(play + "/" + who + " (" + result.get("status").asText() + ")");
            }
        }
        return expected;
    }

    @Test
    void aRunThatEndsBeforeItsRecapLeavesNoReportAndNoTempOrPartFile() throws IOException {
        Path file = dir.resolve("junit.xml");
        try (JUnitReport report = new JUnitReport(file, "vaultcfg apply --check", "drift")) {
            report.open();
            feed(report, CHECK_RUN.subList(0, 4));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFinishedReportLeavesOnlyItself() throws IOException {
        write(CHECK_RUN);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).containsExactly(dir.resolve("junit.xml"));
        }
    }
}
