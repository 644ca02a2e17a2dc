package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.JUnitXml;
import io.vaultcfg.testing.JUnitXml.Case;
import io.vaultcfg.testing.JUnitXml.Outcome;
import io.vaultcfg.testing.LocalConnector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --report FILE.json --junit FILE.xml} on real generated scripts (run by the local shell): the two
 * reports of one run hold the same results, drift in check mode is a failed test, a failing or unreachable host an
 * error, and the exit codes are those of a run without the reports.
 */
class PipelineReportsTest {
    static final String PLAYBOOK = """
            - name: pipeline
              hosts: all
              tasks:
                - name: data directory
                  file:
                    path: "{{ root }}/data"
                    state: directory
                - name: a command that fails on one host
                  command:
                    argv: [sh, -c, 'echo "it broke" >&2; exit 3']
                  when: fail_here is defined
            """;

    @TempDir
    Path dir;
    Path inventory;
    Path playbook;

    @BeforeEach
    void fleet() throws IOException {
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n    ansible_become: false\n  hosts:\n");
        for (String host : List.of("in-sync", "drifted", "gone")) {
            Path root = Files.createDirectories(dir.resolve(host));
            yaml.append("    ").append(host).append(":\n      root: ").append(root).append('\n');
        }
        Files.createDirectories(dir.resolve("in-sync/data"));
        inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
        playbook = dir.resolve("play.yml");
        Files.writeString(playbook, PLAYBOOK);
    }

    CliRun vaultcfg(String name, String... args) {
        List<String> full = new ArrayList<>(List.of("apply", inventory.toString(), "-p", playbook.toString(),
                "--report", dir.resolve(name + ".json").toString(), "--junit", dir.resolve(name + ".xml").toString()));
        full.addAll(List.of(args));
        return CliRun.run(new LocalConnector(Set.of("gone")), Map.of(), "", full.toArray(String[]::new));
    }

    @Test
    void aScheduledCheckShowsDriftAsAFailedTestAndExitsTwoWhenOnlyDriftIsFound() throws IOException {
        CliRun check = vaultcfg("check", "--check", "--limit", "in-sync,drifted");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(2);
        List<Case> cases = JUnitXml.read(dir.resolve("check.xml"));
        assertThat(cases).extracting(Case::classname, Case::name, Case::outcome).containsExactlyInAnyOrder(
                tuple("pipeline/in-sync", "data directory", Outcome.PASSED),
                tuple("pipeline/in-sync", "a command that fails on one host", Outcome.SKIPPED),
                tuple("pipeline/drifted", "data directory", Outcome.FAILURE),
                tuple("pipeline/drifted", "a command that fails on one host", Outcome.SKIPPED));
        Case drift = cases.stream().filter(c -> c.outcome() == Outcome.FAILURE).findFirst().orElseThrow();
        assertThat(drift.type()).isEqualTo("drift");
        assertThat(drift.message()).contains(dir.resolve("drifted/data").toString());
        assertThat(casesCalledFor(dir.resolve("check.json"))).containsExactlyInAnyOrderElementsOf(
                cases.stream().map(c -> c.classname() + " " + c.name() + " " + c.outcome()).toList());
        assertThat(dir.resolve("drifted/data")).doesNotExist();
    }

    @Test
    void aCheckWithAnUnreachableHostAndAnApplyWithAFailingHostWriteTheSameResultsInBothReports() throws IOException {
        CliRun check = vaultcfg("check", "--check");
        Files.writeString(inventory, Files.readString(inventory).replace("    drifted:\n", "    drifted:\n      fail_here: 1\n"));
        CliRun apply = vaultcfg("apply");

        assertThat(check.exitCode()).as(check.all()).isEqualTo(1);
        assertThat(apply.exitCode()).as(apply.all()).isEqualTo(1);
        for (String run : List.of("check", "apply")) {
            List<Case> cases = JUnitXml.read(dir.resolve(run + ".xml"));
            assertThat(casesCalledFor(dir.resolve(run + ".json"))).as(run).containsExactlyInAnyOrderElementsOf(
                    cases.stream().map(c -> c.classname() + " " + c.name() + " " + c.outcome()).toList());
            assertThat(cases).filteredOn(c -> c.classname().equals("pipeline/gone")).extracting(Case::name, Case::outcome, Case::type)
                    .containsExactly(tuple("(unreachable)", Outcome.ERROR, "unreachable"));
        }
        assertThat(Files.readString(dir.resolve("check.xml"))).contains("<testsuites name=\"vaultcfg apply --check\" ");
        assertThat(Files.readString(dir.resolve("apply.xml"))).contains("<testsuites name=\"vaultcfg apply\" ");
        List<Case> applied = JUnitXml.read(dir.resolve("apply.xml"));
        assertThat(applied).filteredOn(c -> c.classname().equals("pipeline/drifted")).extracting(Case::name, Case::outcome)
                .containsExactly(tuple("data directory", Outcome.PASSED), tuple("a command that fails on one host", Outcome.ERROR));
        assertThat(applied).filteredOn(c -> c.name().equals("a command that fails on one host") && c.outcome() == Outcome.ERROR)
                .singleElement().satisfies(c -> assertThat(c.message()).contains("it broke"));
    }

    /** The command line decides: a progress line only when the output is a terminal, and not with --no-progress. */
    @Test
    void aProgressLineOnlyOnATerminal() {
        String[] args = {"apply", inventory.toString(), "-p", playbook.toString(), "--check", "--limit", "in-sync,drifted"};
        CliRun onTerminal = CliRun.run(new LocalConnector(Set.of()), Map.of(), "", true, args);
        CliRun piped = CliRun.run(new LocalConnector(Set.of()), Map.of(), "", false, args);
        String[] quiet = Stream.concat(Arrays.stream(args), Stream.of("--no-progress"))
                .toArray(String[]::new);
        CliRun turnedOff = CliRun.run(new LocalConnector(Set.of()), Map.of(), "", true, quiet);

        assertThat(List.of(onTerminal.exitCode(), piped.exitCode(), turnedOff.exitCode())).containsOnly(2);
        assertThat(onTerminal.stdout()).contains("\r[pipeline] 0/2 hosts, 0 failures, ", "\r[pipeline] 2/2 hosts, 0 failures, ");
        assertThat(piped.stdout()).doesNotContain("\r", " failures, ");
        assertThat(turnedOff.stdout()).isEqualTo(piped.stdout());
        assertThat(onTerminal.stdout().replaceAll("\r\\[pipeline\\] [^\r]*\r *\r", "")).isEqualTo(piped.stdout());
    }

    @Test
    void theSameFileForBothReportsIsBadInput() {
        Path same = dir.resolve("both");
        CliRun run = CliRun.run(new LocalConnector(Set.of()), "apply", inventory.toString(), "-p", playbook.toString(),
                "--report", same.toString(), "--junit", dir.resolve(".").resolve("both").toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("--junit", "is the same file as --report", "Nothing was changed.");
        assertThat(dir.resolve("in-sync/data")).exists();
        assertThat(dir.resolve("drifted/data")).doesNotExist();
    }

    /**
     * What the JSON report says each test case must be: one per task (drift when a check finds a change, an error
     * when it failed), one more per host error.
     */
    static List<String> casesCalledFor(Path json) throws IOException {
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        boolean check = report.get("mode").asText().equals("check");
        List<String> cases = new ArrayList<>();
        for (JsonNode result : report.get("results")) {
            String classname = result.get("play").asText() + "/" + result.path("host").asText("controller");
            for (JsonNode task : result.get("tasks")) {
                String outcome = switch (task.get("status").asText()) {
                    case "failed" -> "ERROR";
                    case "skipped" -> "SKIPPED";
                    case "changed" -> check ? "FAILURE" : "PASSED";
                    default -> "PASSED";
                };
                cases.add(classname + " " + task.get("task").asText() + " " + outcome);
            }
            if (result.has("error")) {
                cases.add(classname + " (" + result.get("status").asText() + ") ERROR");
            }
        }
        return cases;
    }
}
