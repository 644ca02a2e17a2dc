package io.vaultcfg.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Runs the lab in a background JVM between commands: up, status, down. */
public final class LabProcess {
    private LabProcess() {
    }

    /**
     * Starts {@code vaultcfg lab serve} detached and waits until it has written its manifest.
     *
     * @param serveCommand the main class and the arguments that run {@code lab serve} in a new JVM, before its
     *                     {@code --dir} and {@code --hosts}: the command line's, which the lab does not depend on
     */
    public static LabManifest up(LabLayout layout, int hosts, Duration timeout, List<String> serveCommand)
            throws IOException, InterruptedException {
        Optional<LabManifest> running = LabManifest.read(layout.manifest()).filter(LabManifest::alive);
        if (running.isPresent()) {
            throw new IllegalStateException("a lab is already running (pid " + running.get().pid() + ", inventory "
                    + layout.inventory() + "); use it, or stop it with: vaultcfg lab down");
        }
        deleteTree(layout.dir());
        Files.createDirectories(layout.dir());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        command.addAll(serveCommand);
        command.addAll(List.of("--dir", layout.dir().toString(), "--hosts", String.valueOf(hosts)));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Optional<LabManifest> manifest = LabManifest.read(layout.manifest());
            if (manifest.isPresent() && manifest.get().pid() == process.pid()) {
                return manifest.get();
            }
            if (!process.isAlive()) {
                throw new IOException("the lab stopped while starting; see " + layout.log() + ":\n" + tail(layout.log()));
            }
            Thread.sleep(100);
        }
        process.destroy();
        throw new IOException("the lab did not start within " + timeout.toSeconds() + " s; see " + layout.log());
    }

    /**
     * What {@code down} did: whether the lab was running, and each process it left alone because its pid
     * now belongs to a process the lab did not start.
     */
    public record Stopped(boolean wasRunning, List<String> leftAlone) {
    }

    /** Stops a running lab and removes its directory; signals only processes that are still the lab's own. */
    public static Stopped down(LabLayout layout) throws IOException, InterruptedException {
        Optional<LabManifest> manifest = LabManifest.read(layout.manifest());
        List<String> leftAlone = new ArrayList<>();
        boolean wasRunning = false;
        if (manifest.isPresent()) {
            ProcessIdentity lab = manifest.get().process();
            Optional<ProcessHandle> handle = lab.handle();
            if (handle.isPresent() && lab.isStill(handle.get())) {
                wasRunning = true;
                stop(handle.get());
            } else if (handle.isPresent()) {
                leftAlone.add(notOurs(handle.get(), layout.manifest()));
            }
        }
        killLeftovers(layout, leftAlone);
        deleteTree(layout.dir());
        return new Stopped(wasRunning, List.copyOf(leftAlone));
    }

    private static void stop(ProcessHandle lab) throws InterruptedException {
        lab.destroy();
        try {
            lab.onExit().get(20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            lab.destroyForcibly();
        }
    }

    /**
     * Services started by the hosts' systemctl stand-in record their pid and start time; none may outlive
     * the lab, and none but those may be killed.
     */
    private static void killLeftovers(LabLayout layout, List<String> leftAlone) throws IOException {
        Path hosts = layout.dir().resolve("hosts");
        if (!Files.isDirectory(hosts)) {
            return;
        }
        try (Stream<Path> files = Files.walk(hosts)) {
            for (Path pidFile : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                Optional<ProcessHandle> process;
                try {
                    process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
                } catch (NumberFormatException | IOException notAPidFile) {
                    continue;
                }
                if (process.isEmpty()) {
                    continue;
                }
                Optional<String> recorded = readStartTime(pidFile.resolveSibling(pidFile.getFileName() + ".started"));
                if (recorded.isPresent() && recorded.equals(KernelStartTime.of(process.get().pid()))) {
                    process.get().destroyForcibly();
                } else {
                    leftAlone.add(notOurs(process.get(), pidFile));
                }
            }
        }
    }

    private static Optional<String> readStartTime(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Names the process by pid and program only: another process's arguments could hold anything. */
    private static String notOurs(ProcessHandle process, Path record) {
        String program = process.info().command().map(command -> " (" + command + ")").orElse("");
        return "left pid " + process.pid() + program + " alone: not the process " + record.getFileName()
                + " recorded (start time or command line differ, or were not recorded)";
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }
}
