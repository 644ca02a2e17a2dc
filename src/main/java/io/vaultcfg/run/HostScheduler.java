package io.vaultcfg.run;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.plan.ControllerPlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The run's one executor, and the one place that decides what runs when: hosts in the {@link HostOrder}
 * (at most {@code forks} at once), and the controller's steps beside them. Nothing else in a run starts
 * a thread; the threads are reused and end with the run.
 */
final class HostScheduler implements AutoCloseable {
    private final int forks;
    private final ExecutorService threads;

    HostScheduler(int forks) {
        this.forks = Math.max(1, forks);
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "vaultcfg-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    int forks() {
        return forks;
    }

    /** For a controller step's own side-by-side reads, and for work that must not wait for a host slot. */
    Executor executor() {
        return threads;
    }

    /** A step that runs beside the hosts (it takes no host slot), e.g. reading AWS while the hosts' facts are read. */
    <T> Future<T> submit(Callable<T> step) {
        return threads.submit(step);
    }

    /**
     * Runs {@code job} for every host in {@code order}, at most {@code forks} at once, and returns the results
     * in the order's host order. A host's job ends before the next host of its group starts; a batch ends
     * before the next one starts.
     */
    <H, T> List<T> run(HostOrder<H> order, Function<H, T> job) {
        return run(order, job, batch -> Optional.empty(), (host, why) -> null);
    }

    /**
     * As {@link #run(HostOrder, Function)}, but after each batch {@code stopAfter} may stop the run (e.g. a play's
     * {@code max_fail_percentage} exceeded): each host of the later batches then gets {@code notStarted} with why.
     */
    <H, T> List<T> run(HostOrder<H> order, Function<H, T> job, Function<List<T>, Optional<String>> stopAfter,
                       BiFunction<H, String, T> notStarted) {
        List<T> results = new ArrayList<>();
        Optional<String> stopped = Optional.empty();
        for (HostOrder.Batch<H> batch : order.batches()) {
            if (stopped.isPresent()) {
                String why = stopped.get();
                batch.groups().forEach(group -> group.hosts().forEach(host -> results.add(notStarted.apply(host, why))));
                continue;
            }
            List<T> done = runBatch(batch, job);
            results.addAll(done);
            stopped = stopAfter.apply(done);
        }
        return results;
    }

    private <H, T> List<T> runBatch(HostOrder.Batch<H> batch, Function<H, T> job) {
        List<HostOrder.Group<H>> groups = batch.groups();
        int[] offsets = new int[groups.size() + 1];
        for (int i = 0; i < groups.size(); i++) {
            offsets[i + 1] = offsets[i] + groups.get(i).hosts().size();
        }
        Object[] results = new Object[offsets[groups.size()]];
        AtomicInteger nextGroup = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(forks, groups.size()); w++) {
            workers.add(threads.submit(() -> {
                for (int g = nextGroup.getAndIncrement(); g < groups.size(); g = nextGroup.getAndIncrement()) {
                    List<H> hosts = groups.get(g).hosts();
                    for (int h = 0; h < hosts.size(); h++) {
                        results[offsets[g] + h] = job.apply(hosts.get(h));
                    }
                }
                return null;
            }));
        }
        workers.forEach(HostScheduler::await);
        @SuppressWarnings("unchecked")
        List<T> ordered = (List<T>) Arrays.asList(results);
        return ordered;
    }

    static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException badInput) {
                throw badInput;
            }
            if (e.getCause() instanceof ControllerPlan.ControllerFailure failure) {
                throw failure;
            }
            throw new IllegalStateException("a host worker crashed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Takes no more work; what was handed over last (closing connections without waiting for the hosts)
     * finishes on its daemon threads, which then end. The run does not wait for it.
     */
    @Override
    public void close() {
        threads.shutdown();
    }
}
