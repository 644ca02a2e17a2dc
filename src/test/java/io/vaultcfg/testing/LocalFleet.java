package io.vaultcfg.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A few "hosts" that are directories on this machine, reached through {@link LocalConnector}, with
 * stand-ins for systemctl (logs its calls) and for the vault CLI (answers "unsealed"). Enough to
 * run the shipped playbook unchanged when only variables differ.
 */
public final class LocalFleet {
    private final Path dir;
    private final List<String> hosts;
    private final Path bin;

    public LocalFleet(Path dir, List<String> hosts) throws IOException {
        this.dir = dir;
        this.hosts = hosts;
        this.bin = Files.createDirectories(dir.resolve("bin"));
        script("systemctl", "#!/bin/sh\necho \"$*\" >> \"" + dir.resolve("systemctl.log") + "\"\n");
        script("vault", "#!/bin/sh\necho '{\"type\": \"awskms\", \"initialized\": true, \"sealed\": false, \"version\": \"1.17.0\"}'\n");
        for (String host : hosts) {
            Files.createDirectories(root(host).resolve("etc/vault.d"));
            Files.createDirectories(root(host).resolve("etc/systemd/system"));
        }
    }

    private void script(String name, String content) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /**
     * The lab's systemctl stand-in (it starts and stops services, shows their properties) in place of the logging one,
     * for {@code host}'s units; and a vault whose {@code server} keeps running as a server does, the CLI stand-in
     * answering everything else. Each test writes the unit it needs.
     */
    public void withServiceStandIns(String host) throws IOException {
        try (java.io.InputStream standIn = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(bin.resolve("systemctl"), standIn.readAllBytes());
        }
        Path cli = bin.resolve("vault-cli");
        Files.move(bin.resolve("vault"), cli);
        script("vault", "#!/bin/sh\n[ \"$1\" = server ] && exec sleep 120\nexec " + cli + " \"$@\"\n");
    }

    /** What the systemctl stand-in reads for {@code host}: its unit directory, and the stand-in's state. */
    public Map<String, String> systemctlEnv(String host) {
        return Map.of("SYSTEMCTL_UNIT_DIRS", root(host).resolve("etc/systemd/system").toString(),
                "SYSTEMCTL_STATE_DIR", dir.resolve("systemctl-state").toString());
    }

    /** Runs the systemctl stand-in for {@code host} and waits for it; its output (stderr joined) is the process's. */
    public Process systemctl(String host, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", bin.resolve("systemctl").toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(systemctlEnv(host));
        Process process = builder.start();
        process.waitFor();
        return process;
    }

    public Path root(String host) {
        return dir.resolve("hosts").resolve(host);
    }

    public Path envFile(String host) {
        return root(host).resolve("etc/vault.d/vault.env");
    }

    public List<String> systemctlCalls() throws IOException {
        Path log = dir.resolve("systemctl.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    public LocalConnector connector() {
        return connector(Set.of());
    }

    /** @param unreachable hosts that refuse the connection */
    public LocalConnector connector(Set<String> unreachable) {
        return new LocalConnector(unreachable, Map.of("PATH", bin + ":" + System.getenv("PATH")));
    }

    /** An inventory in Ansible's format for these hosts; {@code extraVars} go under all:vars. */
    public Path writeInventory(Map<String, String> extraVars) throws IOException {
        String user = System.getProperty("user.name");
        String group = new String(new ProcessBuilder("id", "-gn").start().getInputStream().readAllBytes()).trim();
        StringBuilder yaml = new StringBuilder("all:\n  children:\n    vault:\n      vars:\n");
        Map<String, String> common = Map.of("ansible_become", "false", "vault_user", user, "vault_group", group,
                "vault_unit_owner", user, "vault_unit_group", group, "vault_binary", bin.resolve("vault").toString(),
                "vault_addr", "http://127.0.0.1:8200", "vault_status_retries", "1", "vault_status_delay", "0",
                // the stand-in here is a vault CLI script, not a server
                "vault_status_probe", "cli");
        yaml.append("        vault_config_dir_owner: \"").append(user).append("\"\n");
        common.forEach((k, v) -> yaml.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        extraVars.forEach((k, v) -> yaml.append("        ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("      hosts:\n");
        for (String host : hosts) {
            yaml.append("        ").append(host).append(":\n")
                    .append("          vault_config_dir: \"").append(root(host).resolve("etc/vault.d")).append("\"\n")
                    .append("          vault_unit_dir: \"").append(root(host).resolve("etc/systemd/system")).append("\"\n");
        }
        Path file = dir.resolve("inventory.yml");
        Files.writeString(file, yaml);
        return file;
    }

    public List<String> hosts() {
        return new ArrayList<>(hosts);
    }
}
