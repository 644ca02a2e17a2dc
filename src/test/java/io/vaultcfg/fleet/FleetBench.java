package io.vaultcfg.fleet;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fleet benchmark (bench/fleet.sh runs it): real OpenSSH hosts, the emulator, the shipped
 * playbook. Measures the raw-OpenSSH floor and vaultcfg's check, idempotent apply and first apply
 * as whole CLI runs (JVM start included), prints medians, ratios and peak RSS. Not a test.
 */
public final class FleetBench {
    private static final String ADMIN_KEY = "AKIABENCHADMIN000001";
    private static final String ADMIN_SECRET = "bench-admin-secret-0001";
    /** The issue's settings: -f N up to 50 hosts, -f 100 for 1,000; the floor runs as many ssh at once. */
    private static final int MAX_FORKS = 100;

    private final Path launcher;
    private final int reps;
    private final Fleet fleet;
    private final Path inventory;
    private final int forks;
    private AwsEmulator emulator;
    private final int awsPort;

    private FleetBench(Path launcher, int reps, Fleet fleet, Path inventory, int forks, AwsEmulator emulator) {
        this.launcher = launcher;
        this.reps = reps;
        this.fleet = fleet;
        this.inventory = inventory;
        this.forks = forks;
        this.emulator = emulator;
        this.awsPort = emulator.port();
    }

    /**
     * Exits 0 only when every run did what it should; any failure exits 1 once the fleet, the emulator and the
     * stand-in are closed (a thread left behind must not keep the JVM, and so the fleet's lock, alive).
     */
    public static void main(String[] args) {
        int code = 1;
        try {
            benchmark(args);
            code = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            System.exit(code);
        }
    }

    private static void benchmark(String[] args) throws Exception {
        int hosts = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        // flags: --light (hosts run a sleep service, one shared stand-in answers the seal status: for 1,000 hosts),
        // --serve (start, print the inventory, keep running)
        List<String> flags = Arrays.asList(args).subList(Math.min(2, args.length), args.length);
        boolean realVault = !flags.contains("--light");
        boolean serve = flags.contains("--serve");
        Path launcher = Path.of("vaultcfg").toAbsolutePath();
        Fleet.assumeAvailable();
        long started = System.nanoTime();
        FleetOptions options = realVault ? FleetOptions.of(hosts) : FleetOptions.of(hosts).withLightService();
        try (Fleet fleet = Fleet.start(options);
             AwsEmulator emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
             SharedSealStatus ignored = realVault ? null : SharedSealStatus.start()) {
            System.out.printf("fleet of %d hosts (%s) started in %.1f s%n", hosts,
                    realVault ? "real OpenBao " + Fleet.BAO : "light service: sleep; seal status from one shared stand-in on *:8200",
                    seconds(System.nanoTime() - started));
            // Ctrl-C or a kill (not -9) still stops every sshd and service the fleet started
            Runtime.getRuntime().addShutdownHook(new Thread(fleet::close));
            Path dir = Files.createTempDirectory("vaultcfg-bench");
            Path inventory = writeInventory(dir, fleet, emulator, realVault);
            if (serve) {
                System.out.println("serving; inventory: " + inventory + " (Ctrl-C stops the fleet)");
                Thread.sleep(Long.MAX_VALUE);
            }
            new FleetBench(launcher, reps, fleet, inventory, Math.min(hosts, MAX_FORKS), emulator).run(realVault);
        }
    }

    /**
     * The floor is sampled right before every vaultcfg run, so both see the same machine: on a shared
     * (virtual) machine the speed drifts by 10-20 % over minutes, which separate phases would mix into
     * the ratios.
     */
    private void run(boolean realVault) throws Exception {
        List<Double> floors = new ArrayList<>();
        List<Double> restartFloors = new ArrayList<>();
        // the launcher's first run after a build records its start-up archive (~10 s): not part of any figure
        new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Run converge = require(vaultcfg(), 0, "converging the fleet");
        settle();
        List<Run> checks = new ArrayList<>();
        List<Run> idempotent = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            floors.add(parallelSsh("sudo -n true"));
            checks.add(require(vaultcfg("--check"), 0, "--check on a converged fleet"));
            floors.add(parallelSsh("sudo -n true"));
            idempotent.add(require(vaultcfg(), 0, "idempotent apply"));
        }
        List<Run> first = new ArrayList<>();
        if (realVault) {
            for (int i = 0; i < reps; i++) {
                restartFloors.add(parallelSsh("sudo -n systemctl restart vault"));
                resetHostsAndAws();
                first.add(require(vaultcfg(), 0, "first apply"));
                settle();
            }
        } else {
            first.add(converge);
        }
        double floor = median(floors);
        double restartFloor = realVault ? median(restartFloors) : Double.NaN;
        double check = median(seconds(checks));
        double idem = median(seconds(idempotent));
        double firstApply = median(seconds(first));
        System.out.println();
        System.out.printf("| measurement (%d hosts, -f %d, median of %d; %s) | seconds | ratio | target | holds |%n",
                fleet.hosts().size(), forks, reps, realVault ? "real OpenBao per host" : "light service, shared seal-status stand-in");
        System.out.println("|---|---:|---:|---|---|");
        System.out.printf("| floor: ssh -o KexAlgorithms=curve25519-sha256 sudo -n true, %d at a time (sampled before each run) | %.2f | 1.00 | | |%n", forks, floor);
        if (realVault) {
            System.out.printf("| restart floor: ssh ... sudo -n systemctl restart vault, all hosts | %.2f | %.2f | | |%n", restartFloor, restartFloor / floor);
        }
        row("vaultcfg apply --check (converged, AWS reads included)", check, floor, 2.0 * floor, "<= 2.0x floor");
        row("vaultcfg apply (idempotent)", idem, floor, 2.2 * floor, "<= 2.2x floor");
        if (realVault) {
            row("vaultcfg apply (first: AWS + 3 files + reload + restart + unseal check)", firstApply, floor,
                    3 * floor + restartFloor, "<= 3x floor + restart floor");
        } else {
            System.out.printf("| vaultcfg apply (first, once) | %.2f | %.2f | | |%n", firstApply, firstApply / floor);
        }
        System.out.printf("| peak RSS of vaultcfg (max over runs) | %d MiB | | < 200 MiB | %s |%n",
                Stream2.max(checks, idempotent, first) / 1024, Stream2.max(checks, idempotent, first) < 200 * 1024 ? "yes" : "NO");
        System.out.println();
        System.out.println("samples (s, in run order): floor " + samples(floors) + "; check " + samples(seconds(checks))
                + "; idempotent " + samples(seconds(idempotent)) + (realVault ? "; restart floor " + samples(restartFloors)
                + "; first apply " + samples(seconds(first)) : ""));
    }

    private void row(String what, double seconds, double floor, double limit, String target) {
        System.out.printf("| %s | %.2f | %.2f | %s | %s |%n", what, seconds, seconds / floor, target, seconds <= limit ? "yes" : "NO");
    }

    /** One vaultcfg CLI run, as a user would start it, timed from outside, with its peak RSS. */
    record Run(double seconds, int exitCode, long peakRssKb, String output) {
    }

    private Run vaultcfg(String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "@@rss %M", launcher.toString(), "apply",
                inventory.toString(), "-f", String.valueOf(forks)));
        if (fleet.hosts().size() > MAX_FORKS) {
            // 100 handshakes at once on a small shared machine, with the fleet's own sshd load: one may wait
            // for a core longer than the default 10 s, which would fail the whole measurement
            command.addAll(List.of("--timeout", "30"));
        }
        command.addAll(Arrays.asList(extra));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        double seconds = seconds(System.nanoTime() - start);
        long rss = output.lines().filter(l -> l.startsWith("@@rss ")).mapToLong(l -> Long.parseLong(l.substring(6).trim())).max().orElse(0);
        return new Run(seconds, code, rss, output);
    }

    private static Run require(Run run, int exitCode, String what) {
        if (run.exitCode() != exitCode) {
            throw new IllegalStateException(what + " exited " + run.exitCode() + ":\n" + run.output());
        }
        return run;
    }

    /** Plain OpenSSH on every host, at most {@code forks} at a time (all at once up to 100 hosts). */
    private double parallelSsh(String command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        java.util.ArrayDeque<Process> running = new java.util.ArrayDeque<>();
        for (FleetHost host : fleet.hosts()) {
            if (running.size() == forks) {
                awaitSsh(running.poll(), command);
            }
            running.add(new ProcessBuilder("ssh", "-i", fleet.privateKey().toString(), "-o", "BatchMode=yes",
                    "-o", "UserKnownHostsFile=" + fleet.knownHosts(), "-o", "StrictHostKeyChecking=yes",
                    "-o", "KexAlgorithms=curve25519-sha256", Fleet.LOGIN_USER + "@" + host.address(), command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        while (!running.isEmpty()) {
            awaitSsh(running.poll(), command);
        }
        return seconds(System.nanoTime() - start);
    }

    private static void awaitSsh(Process process, String command) throws InterruptedException {
        if (process.waitFor() != 0) {
            throw new IllegalStateException("ssh " + command + " failed");
        }
    }

    /** Back to a fresh install: no vaultcfg files, service restarted on the plain config, an empty AWS account. */
    private void resetHostsAndAws() throws Exception {
        List<Thread> threads = new ArrayList<>();
        for (FleetHost host : fleet.hosts()) {
            Thread thread = new Thread(() -> {
                try {
                    host.exec("sh", "-c", "rm -rf /etc/vault.d/vault.env /etc/vault.d/seal-awskms.hcl "
                            + "/etc/systemd/system/vault.service.d && systemctl daemon-reload && systemctl restart vault");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        emulator.close();
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withPort(awsPort).withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
        settle();
    }

    /** Restarts keep the cores busy for a while: measure only once every node answers again, and a second later. */
    private void settle() throws InterruptedException {
        for (FleetHost host : fleet.hosts()) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!answers(host.vaultAddress()) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        }
        Thread.sleep(1000);
    }

    private static boolean answers(String vaultAddress) {
        try {
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection)
                    java.net.URI.create(vaultAddress + "/v1/sys/seal-status").toURL().openConnection(java.net.Proxy.NO_PROXY);
            connection.setConnectTimeout(500);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    static double median(List<Double> samples) {
        List<Double> values = new ArrayList<>(samples);
        values.sort(Double::compare);
        int middle = values.size() / 2;
        return values.size() % 2 == 1 ? values.get(middle) : (values.get(middle - 1) + values.get(middle)) / 2;
    }

    private static List<Double> seconds(List<Run> runs) {
        return runs.stream().map(Run::seconds).toList();
    }

    static String samples(List<Double> values) {
        return String.join(" ", values.stream().map(v -> String.format("%.2f", v)).toList());
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static Path writeInventory(Path dir, Fleet fleet, AwsEmulator emulator, boolean realVault) throws IOException {
        Path credentials = dir.resolve("aws-credentials");
        Files.writeString(credentials, "[bench]\naws_access_key_id = " + ADMIN_KEY + "\naws_secret_access_key = " + ADMIN_SECRET + "\n");
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n")
                .append("    ansible_user: ").append(Fleet.LOGIN_USER).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append('\n')
                .append("    vaultcfg_known_hosts_file: ").append(fleet.knownHosts()).append('\n')
                .append("    ansible_become: true\n    aws_region: us-east-2\n")
                .append("    aws_endpoint_url: ").append(emulator.endpoint()).append('\n')
                .append("    vault_kms_endpoint: ").append(emulator.endpoint()).append('\n')
                .append("    aws_profile: bench\n    aws_shared_credentials_file: ").append(credentials).append('\n')
                .append("    vault_binary: ").append(Fleet.BAO).append('\n')
                .append("    vault_status_retries: 60\n    vault_status_delay: 1\n")
                .append("  children:\n    vault:\n      hosts:\n");
        for (FleetHost host : fleet.hosts()) {
            yaml.append("        ").append(host.name()).append(":\n          ansible_host: ").append(host.address())
                    .append("\n          vault_addr: ").append(host.vaultAddress()).append('\n');
        }
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, yaml);
        return file;
    }

    /** For light fleets: one HTTP server on *:8200 answers every host's seal-status as an unsealed node. */
    private static final class SharedSealStatus implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private final java.util.concurrent.ExecutorService threads;

        private SharedSealStatus(com.sun.net.httpserver.HttpServer server, java.util.concurrent.ExecutorService threads) {
            this.server = server;
            this.threads = threads;
        }

        static SharedSealStatus start() throws IOException {
            com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("0.0.0.0", 8200), 1000);
            byte[] body = ("{\"type\":\"awskms\",\"initialized\":true,\"sealed\":false,\"version\":\"shared-stand-in\"}\n")
                    .getBytes(StandardCharsets.UTF_8);
            server.createContext("/v1/sys/seal-status", exchange -> {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "shared-seal-status");
                thread.setDaemon(true);
                return thread;
            });
            server.setExecutor(threads);
            server.start();
            return new SharedSealStatus(server, threads);
        }

        @Override
        public void close() {
            server.stop(0);
            threads.shutdownNow();
        }
    }

    /** Small helper so the table code stays readable. */
    private static final class Stream2 {
        @SafeVarargs
        static long max(List<Run>... lists) {
            return Arrays.stream(lists).flatMap(List::stream).mapToLong(Run::peakRssKb).max().orElse(0);
        }
    }
}
