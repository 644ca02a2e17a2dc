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
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host's lines (its results, with their messages and diffs) are told to the listeners and then dropped: the
 * run keeps only its outcome while the play goes on, so a large fleet does not hold every host's lines.
 */
class HostResultReleaseTest {
    private static final int HOSTS = 12;

    @TempDir
    Path dir;
    /** Each host's reported result, weakly: the listener itself keeps nothing. */
    final Map<String, WeakReference<HostResult>> reported = new ConcurrentHashMap<>();
    final AtomicInteger planned = new AtomicInteger();
    /** While the last host is planned: whether the first host's reported result could be collected. */
    final AtomicReference<String> firstHostsLines = new AtomicReference<>("not checked");

    /** A task with a long message; the last host's plan checks whether the first host's result is still held. */
    final class Noisy implements Module {
        public String name() {
            return "noisy";
        }

        public Set<String> arguments() {
            return Set.of();
        }

        public Action prepare(TaskInput input) {
            return context -> {
                if (planned.incrementAndGet() == 2 * HOSTS) { // the planning pass, then each host's step: this is the last
                    firstHostsLines.set(collectable("h1") ? "dropped" : "still held");
                }
                return Step.ok("a long line ".repeat(100));
            };
        }
    }

    private boolean collectable(String host) {
        WeakReference<HostResult> result = reported.get(host);
        for (int i = 0; i < 50 && result.get() != null; i++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return result.get() == null;
    }

    @Test
    void aHostsReportedResultIsNotHeldByTheRunWhileLaterHostsRun() throws IOException {
        StringBuilder inventory = new StringBuilder("all:\n  hosts:\n");
        for (int i = 1; i <= HOSTS; i++) {
            inventory.append("    h").append(i).append(":\n");
        }
        Files.writeString(dir.resolve("inventory.yml"), inventory);
        Files.writeString(dir.resolve("play.yml"), """
                - name: with controller
                  hosts: all
                  tasks:
                    - name: token
                      token: {}
                    - name: noisy
                      noisy: {}
                """);
        Modules modules = new Modules(List.of(new PreparedOnceTest.TokenModule(), new Noisy()));
        RunOptions options = new RunOptions(false, false, Optional.empty(), 1, Map.of(), new LinkedHashSet<>(),
                new LinkedHashSet<>(), false, Duration.ofSeconds(5), List.of());
        PlaybookRunner runner = new PlaybookRunner(modules, new LocalConnector(Set.of()), new Redactor());
        PlaybookRunner.PreparedRun ready = runner.prepare(InventoryLoader.load(dir.resolve("inventory.yml")),
                new PlaybookLoader(modules).load(dir.resolve("play.yml")), options);
        AtomicInteger finished = new AtomicInteger();
        RunListener weakly = event -> {
            if (event instanceof RunEvent.HostFinished host) {
                finished.incrementAndGet();
                reported.put(host.result().host(), new WeakReference<>(host.result()));
            }
        };

        RunResult result = runner.run(ready, options, weakly);

        assertThat(finished).hasValue(HOSTS);
        assertThat(result.exitCode()).isZero();
        assertThat(firstHostsLines).hasValue("dropped");
    }
}
