package io.vaultcfg.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every process's command line on the machine ({@code /proc/PID/cmdline}: the fleet's hosts share its process
 * table) every 20 ms while a test runs, and keeps the command lines that hold any of the canaries (never the canaries
 * themselves in a message: a hit is reported by process and canary index).
 */
final class ProcessListingSampler implements AutoCloseable {
    private final List<String> canaries;
    private final List<String> hits = new ArrayList<>();
    private final AtomicInteger rounds = new AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;

    private ProcessListingSampler(List<String> canaries) {
        this.canaries = List.copyOf(canaries);
        this.thread = new Thread(this::loop, "process-listing-sampler");
        thread.setDaemon(true);
    }

    static ProcessListingSampler start(List<String> canaries) {
        ProcessListingSampler sampler = new ProcessListingSampler(canaries);
        sampler.thread.start();
        return sampler;
    }

    private void loop() {
        while (running) {
            sample();
            rounds.incrementAndGet();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample() {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String line;
                try {
                    line = new String(Files.readAllBytes(process.resolve("cmdline")), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue; // ended meanwhile
                }
                for (int i = 0; i < canaries.size(); i++) {
                    if (line.contains(canaries.get(i))) {
                        synchronized (hits) {
                            hits.add("canary " + i + " in the command line of process " + process.getFileName() + ": "
                                    + line.replace(canaries.get(i), "<canary>").replace('\0', ' '));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // /proc unreadable for a moment: the next round reads it
        }
    }

    int rounds() {
        return rounds.get();
    }

    List<String> hits() {
        synchronized (hits) {
            return List.copyOf(hits);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
