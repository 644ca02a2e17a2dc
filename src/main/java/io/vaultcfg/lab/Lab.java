package io.vaultcfg.lab;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A running lab: the AWS emulator and N SSH hosts, each seeded like a fresh Vault install with its
 * service started (uninitialized). Everything lives under one directory.
 */
public final class Lab implements AutoCloseable {
    public static final String REGION = "us-east-2";

    private final LabLayout layout;
    private final LabAws aws;
    private final List<LabHost> hosts;

    private Lab(LabLayout layout, LabAws aws, List<LabHost> hosts) {
        this.layout = layout;
        this.aws = aws;
        this.hosts = hosts;
    }

    /** @param vaultBinary a real bao/vault binary, or null for the built-in stand-in */
    public static Lab start(LabLayout layout, int hostCount, int preferredAwsPort, Path vaultBinary, LabAws.Factory awsFactory)
            throws Exception {
        return start(layout, hostCount, preferredAwsPort, vaultBinary, awsFactory, false);
    }

    /** @param cluster the hosts' nodes form one raft cluster (each joins the others), instead of one each */
    public static Lab start(LabLayout layout, int hostCount, int preferredAwsPort, Path vaultBinary, LabAws.Factory awsFactory,
                            boolean cluster) throws Exception {
        Files.createDirectories(layout.dir());
        Path key = generateClientKey(layout.clientKey());
        String authorized = Files.readString(Path.of(key + ".pub"), StandardCharsets.UTF_8).trim();
        LabAws aws = awsFactory.start(layout.emulatorState(), preferredAwsPort);
        List<LabHost> hosts = new ArrayList<>();
        Lab lab = new Lab(layout, aws, hosts);
        try {
            writeCredentials(layout.awsCredentials(), aws);
            int[] apiPorts = new int[hostCount];
            for (int i = 0; i < hostCount; i++) {
                apiPorts[i] = freePort();
            }
            for (int i = 1; i <= hostCount; i++) {
                String name = "lab-" + i;
                int own = i - 1;
                List<String> peers = !cluster ? List.of() : java.util.stream.IntStream.range(0, hostCount).filter(peer -> peer != own)
                        .mapToObj(peer -> "http://127.0.0.1:" + apiPorts[peer]).toList();
                hosts.add(LabHost.start(name, layout.host(name), apiPorts[own], freePort(), authorized, vaultBinary, peers));
            }
            Files.writeString(layout.knownHosts(),
                    hosts.stream().map(LabHost::knownHostsLine).collect(Collectors.joining("\n", "", "\n")));
            LabInventory.write(layout, hosts, aws.endpoint(), REGION);
            for (LabHost host : hosts) {
                lab.systemctl(host, "start", LabHost.SERVICE);
            }
        } catch (Exception e) {
            lab.close();
            throw e;
        }
        return lab;
    }

    /** Runs the host's systemctl stand-in from the controller side (the lab owns these processes). */
    public int systemctl(LabHost host, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(host.root().resolve("bin/systemctl").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log().toFile()));
        Map<String, String> env = builder.environment();
        env.putAll(host.environment());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("systemctl " + String.join(" ", args) + " on " + host.name() + " timed out");
        }
        return process.exitValue();
    }

    public LabLayout layout() {
        return layout;
    }

    public LabAws aws() {
        return aws;
    }

    public List<LabHost> hosts() {
        return List.copyOf(hosts);
    }

    @Override
    public void close() {
        for (LabHost host : hosts) {
            try {
                systemctl(host, "stop", LabHost.SERVICE);
            } catch (IOException e) {
                // the host is going away anyway
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            host.close();
        }
        try {
            aws.handle().close();
        } catch (Exception e) {
            // nothing left to do for a lab that is shutting down
        }
    }

    private static Path generateClientKey(Path key) throws IOException, InterruptedException {
        Files.createDirectories(key.getParent());
        if (Files.exists(key)) {
            return key;
        }
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "vaultcfg-lab", "-f", key.toString())
                .redirectErrorStream(true).start();
        keygen.getOutputStream().close();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!keygen.waitFor(30, TimeUnit.SECONDS) || keygen.exitValue() != 0) {
            throw new IOException("ssh-keygen failed (is openssh-client installed?): " + output);
        }
        return key;
    }

    private static void writeCredentials(Path file, LabAws aws) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# Lab only: the local emulator's admin identity (not an AWS account).\n[vaultcfg-lab]\n"
                + "aws_access_key_id = " + aws.adminAccessKeyId() + "\naws_secret_access_key = " + aws.adminSecretAccessKey() + "\n");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
