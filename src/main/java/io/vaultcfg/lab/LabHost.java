package io.vaultcfg.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * One lab host: an embedded SSH server whose directory tree stands in for /etc/vault.d, the systemd
 * unit directory and Vault's data dir, seeded like a fresh Vault package install: a unit that starts
 * {@code vault server -config=<main config>} and an uninitialized node.
 */
public final class LabHost implements AutoCloseable {
    public static final String SERVICE = "vault";

    private final String name;
    private final Path root;
    private final int vaultPort;
    private final EmbeddedSshHost ssh;

    private LabHost(String name, Path root, int vaultPort, EmbeddedSshHost ssh) {
        this.name = name;
        this.root = root;
        this.vaultPort = vaultPort;
        this.ssh = ssh;
    }

    /**
     * @param vaultBinary the real {@code bao}/{@code vault}, or null for the stand-in shipped in this jar
     */
    public static LabHost start(String name, Path root, int vaultPort, int clusterPort, String authorizedKey, Path vaultBinary)
            throws IOException {
        return start(name, root, vaultPort, clusterPort, authorizedKey, vaultBinary, List.of());
    }

    /** @param peers the API addresses of the other nodes of its raft cluster (retry_join); none: a cluster of its own */
    public static LabHost start(String name, Path root, int vaultPort, int clusterPort, String authorizedKey, Path vaultBinary,
                                List<String> peers) throws IOException {
        for (String dir : new String[] {"etc/vault.d", "etc/systemd/system", "opt/vault/data", "var/lib/lab", "bin"}) {
            Files.createDirectories(root.resolve(dir));
        }
        installSystemctl(root.resolve("bin/systemctl"));
        Path vault = root.resolve("bin/vault");
        if (vaultBinary == null) {
            script(vault, "#!/bin/sh\n# Lab stand-in for the vault CLI and server (no real Vault installed here).\n"
                    + "exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp '"
                    + absoluteClassPath() + "' io.vaultcfg.lab.vault.VaultStandIn \"$@\"\n");
        } else {
            script(vault, "#!/bin/sh\nexec '" + vaultBinary + "' \"$@\"\n");
        }
        Files.writeString(root.resolve("etc/vault.d/vault.hcl"),
                "# Seeded like a package install: storage and listener only, no seal yet.\n"
                        + "ui = false\n"
                        + "storage \"raft\" {\n  path    = \"" + root.resolve("opt/vault/data") + "\"\n  node_id = \"" + name + "\"\n"
                        + peers.stream().map(peer -> "  retry_join {\n    leader_api_addr = \"" + peer + "\"\n  }\n")
                                .collect(java.util.stream.Collectors.joining()) + "}\n"
                        + "listener \"tcp\" {\n  address         = \"127.0.0.1:" + vaultPort + "\"\n"
                        + "  cluster_address = \"127.0.0.1:" + clusterPort + "\"\n  tls_disable     = true\n}\n"
                        + "api_addr     = \"http://127.0.0.1:" + vaultPort + "\"\n"
                        + "cluster_addr = \"http://127.0.0.1:" + clusterPort + "\"\n");
        Files.writeString(root.resolve("etc/systemd/system/" + SERVICE + ".service"),
                "[Unit]\nDescription=Vault (lab host " + name + ")\n\n[Service]\n"
                        + "EnvironmentFile=-" + root.resolve("etc/vault.d/vault.env") + "\n"
                        + "ExecStart=" + vault + " server -config=" + root.resolve("etc/vault.d/vault.hcl") + "\n"
                        + "Restart=on-failure\n\n[Install]\nWantedBy=multi-user.target\n");
        EmbeddedSshOptions options = EmbeddedSshOptions.of(root, authorizedKey)
                .withAllowedUser(System.getProperty("user.name"))
                .withPathPrefix(root.resolve("bin"))
                .withEnvironment("SYSTEMCTL_UNIT_DIRS", root.resolve("etc/systemd/system").toString())
                .withEnvironment("SYSTEMCTL_STATE_DIR", root.resolve("var/lib/lab").toString());
        return new LabHost(name, root, vaultPort, EmbeddedSshHost.start(options));
    }

    /** The stand-in runs from the host's own working directory: a relative class path would not resolve there. */
    private static String absoluteClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The environment the host's commands see, for running its systemctl from the lab itself. */
    public Map<String, String> environment() {
        return Map.of("PATH", root.resolve("bin") + ":" + System.getenv("PATH"),
                "SYSTEMCTL_UNIT_DIRS", root.resolve("etc/systemd/system").toString(),
                "SYSTEMCTL_STATE_DIR", root.resolve("var/lib/lab").toString(),
                "VAULT_ADDR", vaultAddress());
    }

    private static void installSystemctl(Path target) throws IOException {
        try (InputStream in = LabHost.class.getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            if (in == null) {
                throw new IOException("the systemctl stand-in is missing from the jar");
            }
            script(target, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void script(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    public int sshPort() {
        return ssh.port();
    }

    public int vaultPort() {
        return vaultPort;
    }

    public String vaultAddress() {
        return "http://127.0.0.1:" + vaultPort;
    }

    public String knownHostsLine() {
        return ssh.knownHostsLine();
    }

    @Override
    public void close() {
        ssh.close();
    }
}
