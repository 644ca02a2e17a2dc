package io.vaultcfg.lab;

import io.vaultcfg.app.Apply;
import io.vaultcfg.app.ApplyRequest;
import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.shell.ShellQuote;
import io.vaultcfg.ssh.SshTarget;
import io.vaultcfg.ssh.SshjConnector;
import java.io.File;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What {@code vaultcfg lab} shows a newcomer: lab up, the built-in playbook run against it, the
 * nodes initialized as an operator would, a restart that auto-unseals through KMS, then next steps.
 */
public final class LabDemo {
    private final LabLayout layout;
    private final int hostCount;
    private final PrintStream out;
    private final List<String> serveCommand;

    /** @param serveCommand how to start the lab in the background: see {@link LabProcess#up} */
    public LabDemo(LabLayout layout, int hostCount, PrintStream out, List<String> serveCommand) {
        this.layout = layout;
        this.hostCount = hostCount;
        this.out = out;
        this.serveCommand = List.copyOf(serveCommand);
    }

    /** A real OpenBao (or Vault) binary on PATH, if installed; otherwise the lab uses its stand-in. */
    public static Optional<Path> realVaultBinary() {
        for (String name : List.of("bao")) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    public int run() throws Exception {
        Instant start = Instant.now();
        step("Starting the lab: AWS emulator (KMS, IAM, STS) and " + hostCount + " SSH hosts, "
                + realVaultBinary().map(p -> "real OpenBao (" + p + ")").orElse("Vault stand-ins") + " ...");
        LabManifest manifest;
        Thread cleanup = new Thread(this::downQuietly, "lab-interrupted");
        Runtime.getRuntime().addShutdownHook(cleanup);
        try {
            manifest = LabProcess.up(layout, hostCount, Duration.ofSeconds(90), serveCommand);
        } catch (IllegalStateException alreadyRunning) {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            out.println(alreadyRunning.getMessage());
            return 1;
        }
        out.println("  inventory (Ansible format): " + layout.inventory());

        step("vaultcfg apply " + relative(layout.inventory()) + "   (the built-in playbook, unchanged)");
        SshjConnector connector = new SshjConnector();
        int applied = new Apply(connector, System.getenv(), InputStream.nullInputStream(), out, System.err)
                .run(ApplyRequest.of(layout.inventory()));
        if (applied != 0) {
            out.println("The apply failed (exit " + applied + "); the lab is still running for a look: " + layout.dir());
            Runtime.getRuntime().removeShutdownHook(cleanup);
            return applied;
        }

        step("Initializing each node, as an operator would (vault operator init):");
        for (LabManifest.Host host : manifest.hosts()) {
            try (RemoteSession session = connector.connect(target(host))) {
                ExecResult init = session.exec(vault(host, "operator init -recovery-shares=1 -recovery-threshold=1"), new byte[0]);
                out.println("  " + host.name() + ": " + firstLine(init.stdout(), "Recovery Key 1")
                        + "   <- LAB ONLY: a real recovery key is shown once; store it safely");
            }
        }

        step("Restarting every node: each one unseals itself through kms:Decrypt with the IAM user's key");
        for (LabManifest.Host host : manifest.hosts()) {
            try (RemoteSession session = connector.connect(target(host))) {
                session.exec("systemctl restart vault", new byte[0]);
            }
        }
        for (LabManifest.Host host : manifest.hosts()) {
            Instant deadline = Instant.now().plusSeconds(60);
            while (!LabStatus.unsealed(host.vaultAddress()) && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            out.printf("  %-6s %s%n", host.name(), LabStatus.of(host).seal());
        }
        try (RemoteSession session = connector.connect(target(manifest.hosts().get(0)))) {
            out.println("  vault status on " + manifest.hosts().get(0).name() + ":");
            session.exec(vault(manifest.hosts().get(0), "status -format=json"), new byte[0]).stdout().lines()
                    .forEach(line -> out.println("    " + line));
        }
        Runtime.getRuntime().removeShutdownHook(cleanup);

        step(String.format("Done in %.1f s. The lab keeps running. Next steps:", Duration.between(start, Instant.now()).toMillis() / 1000.0));
        String inventory = relative(layout.inventory());
        out.println("  ./vaultcfg apply " + inventory + " --check          # in sync: exit code 0");
        out.println("  echo 'AWS_ACCESS_KEY_ID=tampered' >> " + relative(layout.host("lab-1").resolve("etc/vault.d/vault.env")));
        out.println("  ./vaultcfg apply " + inventory + " --check --diff   # the change is caught (exit 2), secrets redacted");
        out.println("  ./vaultcfg apply " + inventory + "                  # and repaired");
        out.println("  ./vaultcfg lab status                                 # seal state and restarts per host");
        out.println("  ./vaultcfg lab down                                   # stop everything, remove " + relative(layout.dir()));
        return 0;
    }

    private SshTarget target(LabManifest.Host host) {
        return new SshTarget(host.name(), "127.0.0.1", host.sshPort(), System.getProperty("user.name"),
                Optional.of(layout.clientKey()), Optional.empty(), layout.knownHosts(), false, Duration.ofSeconds(10));
    }

    private static String vault(LabManifest.Host host, String args) {
        return "VAULT_ADDR=" + ShellQuote.quote(host.vaultAddress()) + " " + ShellQuote.quote(host.root() + "/bin/vault") + " " + args;
    }

    private static String firstLine(String text, String prefix) {
        return text.lines().filter(line -> line.startsWith(prefix)).findFirst().orElse(text.strip());
    }

    private void step(String text) {
        out.println();
        out.println("==> " + text);
    }

    private void downQuietly() {
        try {
            LabProcess.down(layout);
        } catch (Exception ignored) {
            // best effort on Ctrl-C
        }
    }

    private static String relative(Path path) {
        Path cwd = Path.of("").toAbsolutePath();
        return path.startsWith(cwd) ? cwd.relativize(path).toString() : path.toString();
    }
}
