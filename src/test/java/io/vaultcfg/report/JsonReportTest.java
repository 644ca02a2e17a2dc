package io.vaultcfg.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON report written from the run's events alone: every task of every host, the controller apart, the recap. */
class JsonReportTest {
    @TempDir
    Path dir;

    static final ControllerResult CONTROLLER = new ControllerResult("p", List.of(
            new StepResult("aws", "aws_auto_unseal", StepStatus.CHANGED, "would create KMS key", Optional.empty())),
            Optional.empty());
    static final HostResult CHANGED = new HostResult("p", "controller", false, List.of(
            new StepResult("env", "template", StepStatus.CHANGED, "update /etc/app.env", Optional.of("-A=1\n+A=2"))),
            Optional.empty());
    static final HostResult UNREACHABLE = new HostResult("p", "web-2", true, List.of(), Optional.of("connection refused"));

    JsonNode write(Path file) throws IOException {
        try (JsonReport report = new JsonReport(file)) {
            report.on(new RunEvent.PlayStarted("p", List.of("controller", "web-2"), true, true));
            report.on(new RunEvent.ControllerFinished(CONTROLLER));
            report.on(new RunEvent.HostFinished(UNREACHABLE));
            report.on(new RunEvent.HostFinished(CHANGED));
            report.on(new RunEvent.RunFinished(RunResult.of(true, List.of(CHANGED, UNREACHABLE), List.of(CONTROLLER))));
        }
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void everyResultInTheOrderItCameWithTheControllerAsAKindOfItsOwn() throws IOException {
        JsonNode json = write(dir.resolve("report.json"));

        assertThat(json.get("mode").asText()).isEqualTo("check");
        assertThat(json.get("exit_code").asInt()).isEqualTo(1);
        assertThat(json.get("changes_pending").asBoolean()).isTrue();
        JsonNode results = json.get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("kind").asText()).isEqualTo("controller");
        assertThat(results.get(0).has("host")).isFalse();
        assertThat(results.get(0).get("tasks").get(0).get("message").asText()).isEqualTo("would create KMS key");
        assertThat(results.get(1).get("status").asText()).isEqualTo("unreachable");
        assertThat(results.get(1).get("error").asText()).isEqualTo("connection refused");
        assertThat(results.get(2).get("kind").asText()).isEqualTo("host");
        assertThat(results.get(2).get("host").asText()).isEqualTo("controller");
        assertThat(results.get(2).get("tasks").get(0).get("diff").asText()).isEqualTo("-A=1\n+A=2");
        assertThat(json.get("recap").get("controller").get("changed").asInt()).isEqualTo(1);
        assertThat(json.get("recap").get("web-2").get("unreachable").asInt()).isEqualTo(1);
        assertThat(json.get("controller_recap").get("changed").asInt()).isEqualTo(1);
    }

    @Test
    void aRunThatEndsBeforeItsRecapLeavesNoReportAndNoTempFile() throws IOException {
        Path file = dir.resolve("report.json");
        try (JsonReport report = new JsonReport(file)) {
            report.on(new RunEvent.PlayStarted("p", List.of("web-2"), false, false));
            report.on(new RunEvent.HostFinished(UNREACHABLE));
        }
        assertThat(file).doesNotExist();
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anEarlierReportIsReplacedWhole() throws IOException {
        Path file = dir.resolve("report.json");
        Files.writeString(file, "old");
        assertThat(write(file).get("results")).hasSize(3);
    }
}
