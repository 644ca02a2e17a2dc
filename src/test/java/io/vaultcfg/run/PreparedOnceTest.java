package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.inventory.InventoryLoader;
import io.vaultcfg.module.ControllerModule;
import io.vaultcfg.module.Module;
import io.vaultcfg.module.Modules;
import io.vaultcfg.module.TaskInput;
import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.ControllerAction;
import io.vaultcfg.plan.ControllerApplied;
import io.vaultcfg.plan.ControllerPlan;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.Unknown;
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a play with a controller task, each host task is prepared once; only a task that reads a controller
 * value is prepared a second time, with the value, after its first preparation (value unknown) validated it.
 */
class PreparedOnceTest {
    @TempDir
    Path dir;
    final List<String> prepared = Collections.synchronizedList(new ArrayList<>());

    /** Exports {@code token}: unknown in the plan, "t-1" once applied. */
    static final class TokenModule implements ControllerModule {
        public String name() {
            return "token";
        }

        public Set<String> arguments() {
            return Set.of();
        }

        public Set<String> exports() {
            return Set.of("token");
        }

        public ControllerAction<?, ?, ?> prepareController(TaskInput input) {
            return new ControllerAction<String, ControllerPlan, ControllerApplied>() {
                public String read(Executor parallel) {
                    return "";
                }

                public ControllerPlan plan(String read, List<FleetHost> fleet) {
                    return new ControllerPlan() {
                        public List<Step> steps() {
                            return List.of(Step.ok("planned"));
                        }

                        public Map<String, Object> exports() {
                            return Map.of("token", new Unknown("token"));
                        }
                    };
                }

                public ControllerApplied apply(ControllerPlan plan) {
                    return () -> Map.of("token", "t-1");
                }
            };
        }
    }

    /** Says which value it was prepared with, and keeps a log of its preparations. */
    final class Echo implements Module {
        public String name() {
            return "echo";
        }

        public Set<String> arguments() {
            return Set.of("value");
        }

        public Action prepare(TaskInput input) {
            String value = input.requireString("value");
            prepared.add(input.vars().get("inventory_hostname") + " " + input.task().name() + " " + value);
            return context -> Step.ok("value " + value);
        }
    }

    RecordingListener run(boolean check) throws IOException {
        Files.writeString(dir.resolve("inventory.yml"), "all:\n  hosts:\n    h1:\n    h2:\n");
        Files.writeString(dir.resolve("play.yml"), """
                - name: p
                  hosts: all
                  tasks:
                    - name: token
                      token: {}
                    - name: plain
                      echo:
                        value: "{{ inventory_hostname }}"
                    - name: uses token
                      echo:
                        value: "key {{ token }}"
                """);
        Modules modules = new Modules(List.of(new TokenModule(), new Echo()));
        RunOptions options = new RunOptions(check, false, Optional.empty(), 2, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(1), List.of());
        PlaybookRunner runner = new PlaybookRunner(modules, new LocalConnector(Set.of()), new Redactor());
        var ready = runner.prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options);
        RecordingListener events = new RecordingListener();
        runner.run(ready, options, events);
        return events;
    }

    @Test
    void onlyTheTaskThatReadsAControllerValueIsPreparedAgainWithIt() throws IOException {
        RecordingListener events = run(false);

        assertThat(prepared).filteredOn(line -> line.startsWith("h1 ")).containsExactly(
                "h1 plain h1", "h1 uses token key (known after apply)", "h1 uses token key t-1");
        assertThat(prepared).filteredOn(line -> line.contains(" plain ")).hasSize(2);
        assertThat(events.hosts()).hasSize(2).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host(), "value key t-1"));
    }

    @Test
    void checkModePlansTheHostsWithThePlansUnknowns() throws IOException {
        RecordingListener events = run(true);

        assertThat(events.hosts()).allSatisfy(host -> assertThat(host.steps()).extracting(StepResult::message)
                .containsExactly("value " + host.host(), "value key (known after apply)"));
    }
}
