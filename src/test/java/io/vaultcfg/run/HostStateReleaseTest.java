package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.inventory.InventoryLoader;
import io.vaultcfg.module.Module;
import io.vaultcfg.module.Modules;
import io.vaultcfg.module.TaskInput;
import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Step;
import io.vaultcfg.playbook.PlaybookLoader;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.testing.LocalConnector;
import io.vaultcfg.testing.RecordingListener;
import java.io.IOException;
import java.lang.ref.WeakReference;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory grows with forks, not with hosts: a host's prepared work (its rendered tasks) is released once the
 * host is done in its play, even while the run's prepared plays are still referenced.
 */
class HostStateReleaseTest {
    private static final int HOSTS = 60;

    @TempDir
    Path dir;
    /** One per prepared task of every host: cleared once nothing holds that host's prepared work any more. */
    final List<WeakReference<Action>> preparedActions = Collections.synchronizedList(new ArrayList<>());

    /** A task whose prepared action carries a rendered payload, as a host's config files do. */
    final class Render implements Module {
        public String name() {
            return "render";
        }

        public Set<String> arguments() {
            return Set.of("content");
        }

        public Action prepare(TaskInput input) {
            String rendered = input.requireString("content").repeat(200);
            Action action = context -> Step.ok("rendered " + rendered.length() + " characters");
            preparedActions.add(new WeakReference<>(action));
            return action;
        }
    }

    @Test
    void everyHostsPreparedTasksAreCollectableOnceTheRunIsDoneWhileThePreparedRunIsStillHeld() throws IOException {
        StringBuilder inventory = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= HOSTS; i++) {
            inventory.append("    h").append(i).append(":\n");
        }
        Files.writeString(dir.resolve("inventory.yml"), inventory);
        Files.writeString(dir.resolve("play.yml"), """
                - name: one
                  hosts: all
                  tasks:
                    - name: config
                      render:
                        content: "{{ inventory_hostname }} "
                - name: two
                  hosts: all
                  tasks:
                    - name: more config
                      render:
                        content: "again {{ inventory_hostname }} "
                """);
        Modules modules = new Modules(List.of(new Render()));
        RunOptions options = new RunOptions(false, false, Optional.empty(), 4, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(5), List.of());
        PlaybookRunner runner = new PlaybookRunner(modules, new LocalConnector(Set.of()), new Redactor());
        PlaybookRunner.PreparedRun ready = runner.prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options);
        assertThat(preparedActions).as("prepared before any host is contacted").hasSize(2 * HOSTS);

        RecordingListener events = new RecordingListener();
        runner.run(ready, options, events);

        assertThat(events.hosts()).hasSize(2 * HOSTS).allSatisfy(host -> assertThat(host.failed()).isFalse());
        assertThat(ready.plays()).allSatisfy(play -> assertThat(play.hosts()).hasSize(HOSTS).allSatisfy(work ->
                assertThat(work.released()).as(work.host() + " released").isTrue()));
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return retained() == 0;
        });
        assertThat(ready.plays()).as("the prepared run itself is still held").hasSize(2);
    }

    private long retained() {
        synchronized (preparedActions) {
            return preparedActions.stream().filter(reference -> reference.get() != null).count();
        }
    }
}
