package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.config.ConfigException;
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
import io.vaultcfg.testing.CountingConnector;
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
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory grows with forks, not hosts: in a play with more hosts than forks, a host's tasks are validated in the
 * preparation pass (bad input still stops the run before any contact), then prepared again only while the host is
 * read, planned or applied. So while a host is planned, no other host holds prepared tasks when there is one fork.
 */
class PreparedOnDemandTest {
    /** A controller task whose value every host's task uses: known only once the controller applied. */
    private static final String CONTROLLER_PLAY = """
                - name: with controller
                  hosts: all
                  tasks:
                    - name: token
                      token: {}
                    - name: census
                      census:
                        value: "{{ inventory_hostname }} key {{ token }}"
                """;

    private static final int HOSTS = 40;
    /** One worker: the census below then sees the hosts as they are (with more, a worker may move on while it counts). */
    private static final int FORKS = 1;

    @TempDir
    Path dir;
    final AtomicReference<PlaybookRunner.PreparedRun> running = new AtomicReference<>();
    /** The most hosts of the run holding prepared tasks, seen while a host was being planned. */
    final AtomicInteger mostHeld = new AtomicInteger();
    final AtomicInteger plans = new AtomicInteger();

    /** Counts, each time a host is planned, how many hosts of the run hold prepared tasks at that moment. */
    final class Census implements Module {
        public String name() {
            return "census";
        }

        public Set<String> arguments() {
            return Set.of("value");
        }

        public Action prepare(TaskInput input) {
            String value = input.requireString("value");
            return context -> {
                plans.incrementAndGet();
                long held = running.get().plays().stream().flatMap(play -> play.hosts().stream())
                        .filter(HostWork::holdsPrepared).count();
                mostHeld.accumulateAndGet((int) held, Math::max);
                return Step.ok("value " + value);
            };
        }
    }

    /** What the controller's plan saw of the first host, and whether the fleet list held that host's variables. */
    final AtomicReference<String> firstHostSeen = new AtomicReference<>();

    /** A controller task that only looks at the fleet it is planned with. */
    final class FleetLook implements ControllerModule {
        public String name() {
            return "fleet_look";
        }

        public Set<String> arguments() {
            return Set.of();
        }

        public Set<String> exports() {
            return Set.of();
        }

        public ControllerAction<?, ?, ?> prepareController(TaskInput input) {
            return new ControllerAction<String, ControllerPlan, ControllerApplied>() {
                public String read(Executor parallel) {
                    return "";
                }

                public ControllerPlan plan(String read, List<FleetHost> fleet) {
                    Map<String, Object> vars = fleet.get(0).vars();
                    firstHostSeen.set(fleet.size() + " hosts, first " + vars.get("inventory_hostname") + " read "
                            + (fleet.get(0).facts() != null) + ", variables held by the list " + (vars == fleet.get(0).vars()));
                    return new ControllerPlan() {
                        public List<Step> steps() {
                            return List.of(Step.ok("looked"));
                        }

                        public Map<String, Object> exports() {
                            return Map.of();
                        }
                    };
                }

                public ControllerApplied apply(ControllerPlan plan) {
                    return Map::of;
                }
            };
        }
    }

    PlaybookRunner runner(Modules modules, CountingConnector connector) {
        return new PlaybookRunner(modules, connector, new Redactor());
    }

    RunOptions options(boolean check) {
        return new RunOptions(check, false, Optional.empty(), FORKS, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(5), List.of());
    }

    Modules modules() {
        return new Modules(List.of(new PreparedOnceTest.TokenModule(), new Census(), new FleetLook()));
    }

    void inventory() throws IOException {
        StringBuilder inventory = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= HOSTS; i++) {
            inventory.append("    h").append(i).append(":\n");
        }
        Files.writeString(dir.resolve("inventory.yml"), inventory);
    }

    RecordingListener run(String play, boolean check) throws IOException {
        Files.writeString(dir.resolve("play.yml"), play);
        Modules modules = modules();
        CountingConnector connector = new CountingConnector(new LocalConnector(Set.of()));
        PlaybookRunner runner = runner(modules, connector);
        PlaybookRunner.PreparedRun ready = runner.prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options(check));
        assertThat(ready.plays().get(0).hosts()).as("validated, then dropped").noneMatch(HostWork::holdsPrepared);
        running.set(ready);
        RecordingListener events = new RecordingListener();
        runner.run(ready, options(check), events);
        return events;
    }

    @Test
    void aPlainPlayHoldsPreparedTasksOnlyForTheHostsBeingWorkedOn() throws IOException {
        inventory();
        RecordingListener events = run("""
                - name: plain
                  hosts: all
                  tasks:
                    - name: census
                      census:
                        value: "{{ inventory_hostname }}"
                """, false);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host()));
        assertThat(plans).hasValue(HOSTS);
        assertThat(mostHeld).hasValue(FORKS);
        HostWork last = running.get().plays().get(0).hosts().get(HOSTS - 1);
        assertThat(last.vars()).as("composed again when asked for, not held").containsEntry("inventory_hostname", "h" + HOSTS)
                .isEqualTo(last.vars()).isNotSameAs(last.vars());
    }

    @Test
    void aPlayWithAControllerTaskHoldsPreparedTasksOnlyForTheHostsBeingWorkedOn() throws IOException {
        inventory();
        RecordingListener events = run(CONTROLLER_PLAY, false);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host() + " key t-1"));
        assertThat(plans.get()).as("the planning pass before the controller applies, then each host's step")
                .isEqualTo(2 * HOSTS);
        assertThat(mostHeld).hasValue(FORKS);
    }

    @Test
    void checkModeWithAControllerTaskPlansEveryHostWithTheUnknownsAndHoldsLittle() throws IOException {
        inventory();
        RecordingListener events = run(CONTROLLER_PLAY, true);

        assertThat(events.hosts()).hasSize(HOSTS).allSatisfy(host -> assertThat(host.steps())
                .extracting(StepResult::message).containsExactly("value " + host.host() + " key (known after apply)"));
        assertThat(mostHeld).hasValue(FORKS);
    }

    @Test
    void theControllersPlanSeesEveryHostButTheFleetListHoldsNoHostsVariables() throws IOException {
        inventory();
        RecordingListener events = run("""
                - name: with controller
                  hosts: all
                  tasks:
                    - name: look
                      fleet_look: {}
                    - name: census
                      census:
                        value: "{{ inventory_hostname }}"
                """, false);

        assertThat(events.hosts()).hasSize(HOSTS);
        assertThat(firstHostSeen).hasValue(HOSTS + " hosts, first h1 read true, variables held by the list false");
    }

    @Test
    void badInputInTheLastHostStillStopsTheRunBeforeAnyHostIsContacted() throws IOException {
        StringBuilder inventory = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i < HOSTS; i++) {
            inventory.append("    h").append(i).append(":\n      census_value: fine\n");
        }
        inventory.append("    h").append(HOSTS).append(":\n");
        Files.writeString(dir.resolve("inventory.yml"), inventory);
        Files.writeString(dir.resolve("play.yml"), """
                - name: plain
                  hosts: all
                  tasks:
                    - name: census
                      census:
                        value: "{{ census_value }}"
                """);
        Modules modules = modules();
        CountingConnector connector = new CountingConnector(new LocalConnector(Set.of()));

        assertThatThrownBy(() -> runner(modules, connector).prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options(false)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("census_value");
        assertThat(connector.mostOpenAtOnce()).isZero();
    }
}
