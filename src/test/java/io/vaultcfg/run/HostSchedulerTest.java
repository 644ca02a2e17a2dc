package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The run's order: batches one after another, groups side by side up to forks, hosts of a group one at a time. */
class HostSchedulerTest {
    static HostOrder<String> order(List<List<List<String>>> batches) {
        return new HostOrder<>(batches.stream().map(batch -> new HostOrder.Batch<>(
                batch.stream().map(HostOrder.Group::new).toList())).toList());
    }

    @Test
    void resultsComeInTheOrdersHostOrderWhateverOrderTheyFinishIn() {
        try (HostScheduler scheduler = new HostScheduler(4)) {
            List<String> hosts = List.of("a", "b", "c", "d", "e", "f", "g");
            assertThat(scheduler.run(HostOrder.allAtOnce(hosts), host -> host.toUpperCase()))
                    .containsExactly("A", "B", "C", "D", "E", "F", "G");
        }
    }

    @Test
    void neverMoreThanForksHostsAtOnce() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (HostScheduler scheduler = new HostScheduler(3)) {
            List<String> hosts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                hosts.add("h" + i);
            }
            scheduler.run(HostOrder.allAtOnce(hosts), host -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.onSpinWait();
                running.decrementAndGet();
                return host;
            });
        }
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void groupsRunSideBySideAndTheHostsOfAGroupOneAfterAnother() {
        CyclicBarrier bothGroupsAtOnce = new CyclicBarrier(2);
        Set<String> busyGroups = ConcurrentHashMap.newKeySet();
        List<String> overlaps = Collections.synchronizedList(new ArrayList<>());
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        try (HostScheduler scheduler = new HostScheduler(2)) {
            scheduler.run(order(List.of(List.of(List.of("a1", "a2", "a3"), List.of("b1", "b2", "b3")))), host -> {
                String group = host.substring(0, 1);
                if (!busyGroups.add(group)) {
                    overlaps.add(host);
                }
                started.add(host);
                try {
                    // the first host of each group waits for the other group's: only possible side by side
                    if (host.endsWith("1")) {
                        bothGroupsAtOnce.await(30, TimeUnit.SECONDS);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("the groups did not run side by side", e);
                }
                busyGroups.remove(group);
                return host;
            });
        }
        assertThat(overlaps).isEmpty();
        assertThat(started.stream().filter(host -> host.startsWith("a")).toList()).containsExactly("a1", "a2", "a3");
        assertThat(started.stream().filter(host -> host.startsWith("b")).toList()).containsExactly("b1", "b2", "b3");
    }

    @Test
    void aBatchEndsBeforeTheNextOneStarts() {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (HostScheduler scheduler = new HostScheduler(8)) {
            scheduler.run(HostOrder.eachHostAlone(List.of(List.of("a", "b", "c"), List.of("d", "e"))), host -> {
                log.add("start " + host);
                log.add("end " + host);
                return host;
            });
        }
        int lastEndOfFirst = List.of("a", "b", "c").stream().mapToInt(host -> log.indexOf("end " + host)).max().orElseThrow();
        int firstStartOfSecond = List.of("d", "e").stream().mapToInt(host -> log.indexOf("start " + host)).min().orElseThrow();
        assertThat(lastEndOfFirst).isLessThan(firstStartOfSecond);
    }

    @Test
    void aStopAfterABatchLeavesTheLaterBatchesNotStartedWithTheReason() {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        try (HostScheduler scheduler = new HostScheduler(4)) {
            List<String> results = scheduler.run(order(List.of(List.of(List.of("a")), List.of(List.of("b"), List.of("c")),
                            List.of(List.of("d", "e")))),
                    host -> {
                        ran.add(host);
                        return host.equals("b") || host.equals("c") ? "failed " + host : "ok " + host;
                    },
                    batch -> batch.stream().allMatch(result -> result.startsWith("failed")) ? java.util.Optional.of("stopped")
                            : java.util.Optional.empty(),
                    (host, why) -> why + " " + host);
            assertThat(results).containsExactly("ok a", "failed b", "failed c", "stopped d", "stopped e");
        }
        assertThat(ran).containsExactlyInAnyOrder("a", "b", "c");
    }
}
