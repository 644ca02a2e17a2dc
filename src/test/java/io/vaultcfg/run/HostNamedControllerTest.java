package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.inventory.InventoryLoader;
import io.vaultcfg.module.Module;
import io.vaultcfg.module.Modules;
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.report.ConsoleReporter;
import io.vaultcfg.report.JsonReport;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.RecordingListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's results are a kind of their own: an inventory host called {@code controller} is a host
 * like any other, in every play, and the console and the JSON report keep its lines apart from the
 * controller's.
 */
class HostNamedControllerTest {
    static final String PLAYBOOK = """
            - name: first
              hosts: all
              tasks:
                - name: aws
                  recording: {}
                - name: dir one
                  file:
                    path: "{{ dir_one }}"
                    state: directory
            - name: second
              hosts: all
              tasks:
                - name: dir two
                  file:
                    path: "{{ root }}/two"
                    state: directory
            """;

    @TempDir
    Path dir;
    final RecordingListener events = new RecordingListener();
    final ByteArrayOutputStream console = new ByteArrayOutputStream();

    RunResult run(String controllersDirOne) throws IOException {
        StringBuilder inventory = new StringBuilder("all:\n  vars:\n    ansible_become: false\n  hosts:\n");
        for (String host : List.of("controller", "web")) {
            Path root = Files.createDirectories(dir.resolve(host));
            String dirOne = host.equals("controller") ? controllersDirOne : root.resolve("one").toString();
            inventory.append("    ").append(host).append(":\n      root: ").append(root)
                    .append("\n      dir_one: ").append(dirOne).append('\n');
        }
        Files.writeString(dir.resolve("inventory.yml"), inventory);
        Files.writeString(dir.resolve("play.yml"), PLAYBOOK);
        Modules modules = new Modules(List.<Module>of(new ControllerTaskCloseTest.Recording(false),
                Modules.builtin().get("file")));
        RunOptions options = new RunOptions(false, false, Optional.empty(), 2, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(1), List.of());
        PlaybookRunner runner = new PlaybookRunner(modules, new LocalConnector(Set.of()), new Redactor());
        var prepared = runner.prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options);
        List<RunListener> listeners = new ArrayList<>(List.of(events,
                new ConsoleReporter(new PrintStream(console, true, StandardCharsets.UTF_8), true)));
        try (JsonReport json = new JsonReport(dir.resolve("report.json"))) {
            listeners.add(json);
            return runner.run(prepared, options, RunListener.all(listeners));
        }
    }

    List<String> playsOf(String host) {
        return events.hosts().stream().filter(result -> result.host().equals(host)).map(HostResult::play).toList();
    }

    @Test
    void aHostCalledControllerRunsInEveryPlayLikeAnyOther() throws IOException {
        RunResult result = run(dir.resolve("controller/one").toString());

        assertThat(result.exitCode()).as(console.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(playsOf("controller")).containsExactly("first", "second");
        assertThat(dir.resolve("controller/one")).isDirectory();
        assertThat(dir.resolve("controller/two")).isDirectory();
        assertThat(events.controller()).singleElement().satisfies(controller -> {
            assertThat(controller.play()).isEqualTo("first");
            assertThat(controller.steps()).extracting(StepResult::message).containsExactly("in sync");
        });
        assertThat(result.recap()).containsOnlyKeys("controller", "web");
        assertThat(result.recap().get("controller").changed()).isEqualTo(2);
        assertThat(result.controllerRecap()).contains(new RunResult.Recap(1, 0, 0, 0, 0));
    }

    @Test
    void aFailureOfTheHostCalledControllerDoesNotStopTheLaterPlays() throws IOException {
        Files.writeString(dir.resolve("a-file"), "not a directory");

        RunResult result = run(dir.resolve("a-file/one").toString());

        assertThat(result.exitCode()).isEqualTo(RunResult.EXIT_FAILED);
        assertThat(playsOf("controller")).containsExactly("first");
        assertThat(playsOf("web")).containsExactly("first", "second");
        assertThat(dir.resolve("web/two")).isDirectory();
    }

    @Test
    void theConsoleAndTheJsonReportKeepTheControllersLinesApartFromTheHosts() throws IOException {
        run(dir.resolve("controller/one").toString());

        String output = console.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("[controller] | ok      | aws: in sync",
                "controller   | changed | dir one: create directory").doesNotContain("controller   | ok      | aws");
        assertThat(output.substring(output.indexOf("PLAY RECAP"))).contains(
                "[controller] : ok=1 changed=0", "controller   : ok=0 changed=2");
        String json = Files.readString(dir.resolve("report.json"));
        assertThat(json).contains("\"kind\" : \"controller\"", "\"controller_recap\" : {")
                .containsPattern("\"kind\" : \"host\",\\s+\"host\" : \"controller\"");
    }
}
