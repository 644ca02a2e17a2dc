package io.vaultcfg.fleet;

import io.vaultcfg.fleet.FleetCluster.StartState;
import io.vaultcfg.fleet.UnsealPoller.NodeState;
import io.vaultcfg.vault.NodeRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The cluster rolling-restart benchmark (bench/cluster.sh runs it): a real OpenBao raft cluster on awskms through
 * the emulator ({@link FleetCluster}), converged by vaultcfg. Each round first restarts every node's service
 * directly, one at a time in the rollout's order, each timed from its restart until the whole cluster is back
 * (every node unsealed, an active node, every node's raft log applied up to the active node's committed index:
 * the rollout's own criterion); then changes the seal template, which restarts every node, and times the whole
 * {@code vaultcfg apply} that rolls the cluster (JVM start and the AWS phase included). The roll's cost is that run
 * minus the same apply when it changes nothing, run just before and just after it (their mean). Not a test.
 */
public final class ClusterBench {
    /** Issue 14: the roll costs at most this many times the sum of the nodes' own restart-to-unsealed times. */
    private static final double TARGET = 1.3;
    private static final long POLL_MILLIS = 20;
    private static final long BACK_TIMEOUT_NANOS = 60_000_000_000L;

    private final FleetCluster cluster;
    private final Path dir;
    private final Path inventory;
    private final Path launcher;

    private ClusterBench(FleetCluster cluster, Path dir, Path inventory, Path launcher) {
        this.cluster = cluster;
        this.dir = dir;
        this.inventory = inventory;
        this.launcher = launcher;
    }

    /** Exits 0 only when every run did what it should; the cluster and the emulator are closed on any exit. */
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
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        FleetCluster.assumeAvailable();
        long started = System.nanoTime();
        Path dir = Files.createTempDirectory("vaultcfg-cluster-bench");
        try (FleetCluster cluster = FleetCluster.start(nodes, StartState.AWSKMS)) {
            // Ctrl-C or a kill (not -9) still stops every server, sshd and relay the cluster started
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cluster.close();
                deleteTree(dir);
            }));
            System.out.printf("cluster of %d OpenBao %s nodes on awskms (emulator) started in %.1f s%n", nodes, Fleet.BAO,
                    FleetBench.seconds(System.nanoTime() - started));
            Path inventory = cluster.writeInventory(dir.resolve("inventory.yml"));
            new ClusterBench(cluster, dir, inventory, Path.of("vaultcfg").toAbsolutePath()).run(rounds);
        } finally {
            deleteTree(dir);
        }
    }

    private void run(int rounds) throws Exception {
        // the launcher's first run after a build records its start-up archive (~10 s): not part of any figure
        new ProcessBuilder(launcher.toString(), "--version").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        require(apply(), "converging the cluster");
        List<Double> own = new ArrayList<>();
        List<Double> rolls = new ArrayList<>();
        List<String> perNode = new ArrayList<>();
        List<String> timelines = new ArrayList<>();
        List<Double> idempotent = new ArrayList<>();
        List<String> idempotentRuns = new ArrayList<>();
        Path previousTemplates = changedTemplates(0);
        for (int round = 1; round <= rounds; round++) {
            awaitBack();
            List<Double> nodeTimes = new ArrayList<>();
            for (int node : rolloutOrder()) {
                Thread.sleep(1000);
                nodeTimes.add(restartToBack(node));
            }
            own.add(nodeTimes.stream().mapToDouble(Double::doubleValue).sum());
            perNode.add(FleetBench.samples(nodeTimes));
            Path templates = changedTemplates(round);
            // the same apply on the cluster as it is: what a run costs without any restart, once before the rolling apply
            // (last round's template) and once after it (this round's): their mean is the round's baseline, so a drift
            // of the machine's speed across the round weighs on both sides of the subtraction alike
            double idleBefore = idempotentApply(previousTemplates, "before the rolling apply of round " + round);
            Thread.sleep(1000);
            long[] before = restarts();
            UnsealPoller poller = cluster.startPoller();
            Instant applyStart = Instant.now();
            rolls.add(require(apply("--templates", templates.toString()), "the rolling apply of round " + round).seconds());
            Instant applyEnd = Instant.now();
            poller.close();
            timelines.add(timeline(poller.samples(), applyStart, applyEnd));
            previousTemplates = templates;
            long[] after = restarts();
            for (int node = 0; node < cluster.size(); node++) {
                if (after[node] != before[node] + 1) {
                    throw new IllegalStateException(cluster.host(node).name() + " was restarted " + (after[node] - before[node])
                            + " times by the rolling apply of round " + round + ", not once");
                }
            }
            double idleAfter = idempotentApply(templates, "after the rolling apply of round " + round);
            idempotent.add((idleBefore + idleAfter) / 2);
            idempotentRuns.add(String.format("%.2f %.2f", idleBefore, idleAfter));
        }
        print(rounds, own, idempotent, rolls, perNode, idempotentRuns);
        System.out.println("where each rolling apply's time went (s; from a poller reading every node's seal status every 50 ms):");
        timelines.forEach(line -> System.out.println("  " + line));
    }

    /**
     * The apply's start to the first node going down, each node's time down or sealed and the gap to the next
     * node's restart, and the last node unsealed to the apply's end.
     */
    private String timeline(List<UnsealPoller.Sample> samples, Instant start, Instant end) {
        List<Instant[]> windows = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int node = 0; node < cluster.size(); node++) {
            int index = node;
            int down = IntStream.range(0, samples.size()).filter(i -> samples.get(i).states().get(index) == NodeState.DOWN)
                    .findFirst().orElse(-1);
            if (down < 0) {
                continue;
            }
            int up = IntStream.range(down, samples.size()).filter(i -> samples.get(i).states().get(index) == NodeState.UNSEALED)
                    .findFirst().orElse(samples.size() - 1);
            windows.add(new Instant[] {samples.get(down).time(), samples.get(up).time()});
            names.add(cluster.host(node).name());
        }
        List<Integer> order = IntStream.range(0, windows.size()).boxed()
                .sorted(Comparator.comparing(i -> windows.get(i)[0])).toList();
        StringBuilder text = new StringBuilder("start to first restart ");
        Instant last = start;
        for (int i : order) {
            text.append(String.format("%.2f, %s sealed %.2f, then ", between(last, windows.get(i)[0]), names.get(i),
                    between(windows.get(i)[0], windows.get(i)[1])));
            last = windows.get(i)[1];
        }
        return text.append(String.format("to the end %.2f", between(last, end))).toString();
    }

    private static double between(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** Each ratio is the median of the rounds' own ratios: a round's runs share the machine's speed of that moment. */
    private void print(int rounds, List<Double> own, List<Double> idempotent, List<Double> rolls, List<String> perNode,
                       List<String> idempotentRuns) {
        List<Double> costs = IntStream.range(0, rolls.size()).mapToObj(i -> rolls.get(i) - idempotent.get(i)).toList();
        List<Double> wholeRatios = IntStream.range(0, rolls.size()).mapToObj(i -> rolls.get(i) / own.get(i)).toList();
        List<Double> costRatios = IntStream.range(0, rolls.size()).mapToObj(i -> costs.get(i) / own.get(i)).toList();
        double ratio = FleetBench.median(costRatios);
        System.out.println();
        System.out.printf("| measurement (%d-node OpenBao raft cluster on awskms, median of %d rounds) | seconds | ratio | target | holds |%n",
                cluster.size(), rounds);
        System.out.println("|---|---:|---:|---|---|");
        System.out.printf("| own: sum of the nodes' restart-to-unsealed-and-caught-up times (systemctl restart, one at a time) | %.2f | 1.00 | | |%n",
                FleetBench.median(own));
        System.out.printf("| vaultcfg apply, idempotent (nothing changed; JVM start, SSH, facts, AWS reads; mean of the runs just "
                + "before and just after the rolling one) | %.2f | %.2f | | |%n",
                FleetBench.median(idempotent), FleetBench.median(IntStream.range(0, rolls.size())
                        .mapToObj(i -> idempotent.get(i) / own.get(i)).toList()));
        System.out.printf("| vaultcfg apply rolling the cluster (changed seal template), whole run | %.2f | %.2f | | |%n",
                FleetBench.median(rolls), FleetBench.median(wholeRatios));
        System.out.printf("| rolling cost: rolling apply - idempotent apply | %.2f | %.2f | <= %.1fx own | %s |%n",
                FleetBench.median(costs), ratio, TARGET, ratio <= TARGET ? "yes" : "NO");
        System.out.println();
        System.out.println("samples (s, in run order): own " + FleetBench.samples(own) + " (per node: " + String.join("; ", perNode)
                + "); idempotent " + FleetBench.samples(idempotent) + " (before, after: " + String.join("; ", idempotentRuns) + "); rolling " + FleetBench.samples(rolls)
                + "; rolling cost / own " + FleetBench.samples(costRatios) + "; whole rolling run / own " + FleetBench.samples(wholeRatios));
    }

    /** Seconds of an apply that changes nothing, after the cluster is back; under a poller, as the rolling apply runs. */
    private double idempotentApply(Path templates, String what) throws Exception {
        awaitBack();
        Thread.sleep(1000);
        // the poller's reads share the machine's two cores with the run, as they do with the rolling apply
        try (UnsealPoller ignored = cluster.startPoller()) {
            return require(apply("--templates", templates.toString()), "the idempotent apply " + what).seconds();
        }
    }

    /** Standbys in inventory order, the active node last: the order the rollout takes. */
    private List<Integer> rolloutOrder() {
        int active = cluster.activeNode();
        return Stream.concat(IntStream.range(0, cluster.size()).filter(node -> node != active).boxed(), Stream.of(active)).toList();
    }

    /** Seconds from {@code systemctl restart} of the node's service (in its host) until the whole cluster is back. */
    private double restartToBack(int node) throws IOException, InterruptedException {
        long start = System.nanoTime();
        cluster.restart(node);
        awaitBack();
        return FleetBench.seconds(System.nanoTime() - start);
    }

    /** Until every node is unsealed, one is active and every node has applied the active node's committed index. */
    private void awaitBack() throws InterruptedException {
        long deadline = System.nanoTime() + BACK_TIMEOUT_NANOS;
        while (!back()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the cluster is not back after 60 s:\n" + cluster.serviceOutputs());
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private boolean back() {
        List<Optional<NodeRole>> roles = IntStream.range(0, cluster.size()).mapToObj(cluster::tryRole).toList();
        if (roles.stream().anyMatch(role -> role.filter(NodeRole::unsealed).isEmpty())) {
            return false;
        }
        Optional<NodeRole> leader = roles.stream().flatMap(Optional::stream).filter(role -> role.role() == NodeRole.Role.ACTIVE)
                .max(Comparator.comparingLong(role -> role.raftCommittedIndex().orElse(-1)));
        return leader.isPresent() && roles.stream().flatMap(Optional::stream).allMatch(role -> role.caughtUpWith(leader.get()));
    }

    /**
     * The built-in seal template with a comment naming the round (none for round 0): each round's change restarts
     * every node. Only the owner may write the directory, as vaultcfg requires of {@code --templates}.
     */
    private Path changedTemplates(int round) throws IOException {
        Path templates = Files.createDirectory(dir.resolve("templates-" + round),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(templates.resolve("seal-awskms.hcl.ftl"), Files.readString(Path.of("templates/seal-awskms.hcl.ftl"))
                + (round == 0 ? "" : "# rolled by bench/cluster.sh, round " + round + "\n"));
        return templates;
    }

    private long[] restarts() throws IOException {
        long[] counts = new long[cluster.size()];
        for (int node = 0; node < cluster.size(); node++) {
            counts[node] = cluster.host(node).restarts("vault");
        }
        return counts;
    }

    private record Run(double seconds, int exitCode, String output) {
    }

    /** One vaultcfg CLI run, as a user would start it, timed from outside. */
    private Run apply(String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "apply", inventory.toString()));
        command.addAll(List.of(extra));
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        return new Run(FleetBench.seconds(System.nanoTime() - start), code, output);
    }

    private static Run require(Run run, String what) {
        if (run.exitCode() != 0) {
            throw new IllegalStateException(what + " exited " + run.exitCode() + ":\n" + run.output());
        }
        return run;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | java.io.UncheckedIOException ignored) {
            // best effort: a temp directory left behind holds no secret (the inventory names a credentials file elsewhere)
        }
    }
}
