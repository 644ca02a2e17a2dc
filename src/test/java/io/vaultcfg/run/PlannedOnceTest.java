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
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.RecordingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planning pass plans every host before the controller changes anything; when the controller's values then
 * turn out as planned (every check, and an apply whose AWS side was converged), a host's step carries out that
 * plan rather than planning the same tasks on the same facts again. A value that came out otherwise is planned
 * with again, and a fleet beyond forks keeps no plans.
 */
class PlannedOnceTest {
    private static final String PLAY = """
            - name: with controller
              hosts: all
              tasks:
                - name: key
                  known_key: {}
                - name: census
                  census:
                    value: "{{ inventory_hostname }} key {{ key_id }}"
            """;
    private static final int HOSTS = 6;

    @TempDir
    Path dir;
    /** The key id the controller's plan gives, and the one its apply gives: the planned one unless a test says otherwise. */
    volatile String plannedKey = "k-1";
    volatile String appliedKey = "k-1";
    final Map<String, AtomicInteger> plansByHost = new ConcurrentHashMap<>();

    /** A controller task whose plan already knows its export, as a converged AWS side knows its key's id. */
    final class KnownKeyModule implements ControllerModule {
        public String name() {
            return "known_key";
        }

        public Set<String> arguments() {
            return Set.of();
        }

        public Set<String> exports() {
            return Set.of("key_id");
        }

        public ControllerAction<?, ?, ?> prepareController(TaskInput input) {
            return new ControllerAction<String, ControllerPlan, ControllerApplied>() {
                public String read(Executor parallel) {
                    return "";
                }

                public ControllerPlan plan(String read, List<FleetHost> fleet) {
                    String key = plannedKey;
                    return new ControllerPlan() {
                        public List<Step> steps() {
                            return List.of(Step.ok("key " + key));
                        }

                        public Map<String, Object> exports() {
                            return Map.of("key_id", key);
                        }
                    };
                }

                public ControllerApplied apply(ControllerPlan plan) {
                    String key = appliedKey;
                    return () -> Map.of("key_id", key);
                }
            };
        }
    }

    /** Counts each host's plans. */
    final class Census implements Module {
        public String name() {
            return "census";
        }

        public Set<String> arguments() {
            return Set.of("value");
        }

        public Action prepare(TaskInput input) {
            String value = input.requireString("value");
            if (value.endsWith("key refused")) {
                throw input.error("value", "a key it refuses");
            }
            String host = String.valueOf(input.vars().get("inventory_hostname"));
            return context -> {
                plansByHost.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
                return Step.ok("value " + value);
            };
        }
    }

    RecordingListener run(boolean check, int forks) throws IOException {
        StringBuilder inventory = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= HOSTS; i++) {
            inventory.append("    h").append(i).append(":\n");
        }
        Files.writeString(dir.resolve("inventory.yml"), inventory);
        Files.writeString(dir.resolve("play.yml"), PLAY);
        Modules modules = new Modules(List.of(new KnownKeyModule(), new Census()));
        RunOptions options = new RunOptions(check, false, Optional.empty(), forks, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(5), List.of());
        PlaybookRunner runner = new PlaybookRunner(modules, new LocalConnector(Set.of()), new Redactor());
        PlaybookRunner.PreparedRun ready = runner.prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options);
        RecordingListener events = new RecordingListener();
        runner.run(ready, options, events);
        return events;
    }

    Map<String, Integer> plans() {
        return plansByHost.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get()));
    }

    static Map<String, Integer> each(int times) {
        return IntStream.rangeClosed(1, HOSTS).boxed().collect(Collectors.toMap(i -> "h" + i, i -> times));
    }

    @Test
    void checkModePlansEachHostOnce() throws IOException {
        RecordingListener events = run(true, HOSTS);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host() + " key k-1"));
        assertThat(plans()).isEqualTo(each(1));
    }

    @Test
    void anApplyWhoseControllerValuesCameOutAsPlannedPlansEachHostOnce() throws IOException {
        RecordingListener events = run(false, HOSTS);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host() + " key k-1"));
        assertThat(plans()).isEqualTo(each(1));
    }

    @Test
    void aControllerValueThatCameOutOtherwiseIsPlannedWithAgain() throws IOException {
        appliedKey = "k-2";

        RecordingListener events = run(false, HOSTS);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host() + " key k-2"));
        assertThat(plans()).isEqualTo(each(2));
    }

    /** The planning pass judges such a host with the values unknown; its own step still fails with the value. */
    @Test
    void aHostWhoseTasksRefuseThePlannedValueStillFailsInItsStep() throws IOException {
        plannedKey = "refused";
        appliedKey = "refused";

        RecordingListener events = run(true, HOSTS);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> {
            assertThat(host.error()).hasValueSatisfying(error -> assertThat(error).contains("a key it refuses", "not changed"));
            assertThat(host.steps()).isEmpty();
        });
    }

    @Test
    void aFleetBeyondForksKeepsNoPlans() throws IOException {
        RecordingListener events = run(true, 2);

        assertThat(events.hosts()).hasSize(HOSTS);
        assertThat(plans()).isEqualTo(each(2));
    }
}
