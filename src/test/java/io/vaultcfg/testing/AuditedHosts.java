package io.vaultcfg.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * "Hosts" for {@code vaultcfg audit} that are directories on this machine ({@link LocalConnector}): each with a
 * vault.env, a unit {@code vault.service} and the drop-in the built-in playbook writes, the seal stanza, a vault CLI
 * stand-in answering a seal status, and the lab's systemctl stand-in (its units and state per host).
 */
public final class AuditedHosts {
    public static final String UNSEALED_AWSKMS = "{\"initialized\": true, \"sealed\": false, \"type\": \"awskms\", \"version\": \"1.15.0\"}";
    public static final String DROP_IN = "vault.service.d/10-vaultcfg-awskms.conf";

    private final Path dir;
    private final Path bin;
    private final Path inventory;
    private final String user;
    private final String group;
    private final StringBuilder hosts = new StringBuilder();
    private String allVars = "";

    public AuditedHosts(Path dir) throws IOException {
        this.dir = dir;
        this.bin = Files.createDirectories(dir.resolve("bin"));
        this.inventory = dir.resolve("inventory.yml");
        Path probe = Files.createFile(dir.resolve("probe"));
        PosixFileAttributes attributes = Files.readAttributes(probe, PosixFileAttributes.class);
        user = attributes.owner().getName();
        group = attributes.group().getName();
        Path standIn = bin.resolve("systemctl-standin");
        try (InputStream script = AuditedHosts.class.getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(standIn, script.readAllBytes());
        }
        executable(standIn);
        executable(Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\nSYSTEMCTL_UNIT_DIRS=\"" + dir + "/$LOCAL_HOST_NAME/units\" "
                + "SYSTEMCTL_STATE_DIR=\"" + dir + "/$LOCAL_HOST_NAME/systemctl\" exec \"" + standIn + "\" \"$@\"\n"));
    }

    private static Path executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    public String user() {
        return user;
    }

    public String group() {
        return group;
    }

    public Path inventory() {
        return inventory;
    }

    public Path config(String host) {
        return dir.resolve(host).resolve("config");
    }

    public Path units(String host) {
        return dir.resolve(host).resolve("units");
    }

    /** Variables for every host (YAML lines at the all:vars level, e.g. {@code "aws_region: us-east-2"}). */
    public void allVars(String... lines) throws IOException {
        allVars = String.join("", java.util.Arrays.stream(lines).map(line -> "    " + line + "\n").toList());
        write();
    }

    /**
     * A host as the built-in playbook leaves it: vault.env with {@code mode} (none when null), the seal stanza naming
     * {@code keyId}, the unit and its drop-in; its vault CLI prints {@code status}.
     */
    public void host(String name, String mode, String status, String keyId, String... hostVars) throws IOException {
        Path config = Files.createDirectories(config(name));
        if (mode != null) {
            Path env = Files.writeString(config.resolve("vault.env"), "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n"
                    + "AWS_SECRET_ACCESS_KEY=canary-secret-in-vault-env\nAWS_REGION=us-east-2\n");
            Files.setPosixFilePermissions(env, PosixFilePermissions.fromString(mode));
        }
        Files.writeString(config.resolve("vault.hcl"), "storage \"raft\" {\n  path = \"/var/lib/vault\"\n}\n");
        Files.writeString(config.resolve("seal-awskms.hcl"), "seal \"awskms\" {\n  region     = \"us-east-2\"\n  kms_key_id = \""
                + keyId + "\"\n}\n");
        Path vault = executable(Files.writeString(config.resolve("vault"), "#!/bin/sh\ncat <<'EOF'\n" + status + "\nEOF\n"));
        Path units = Files.createDirectories(units(name));
        Files.writeString(units.resolve("vault.service"), "[Service]\nExecStart=" + vault + " server -config=" + config.resolve("vault.hcl")
                + "\n");
        Files.createDirectories(units.resolve("vault.service.d"));
        Files.writeString(units.resolve(DROP_IN), "[Service]\nEnvironmentFile=" + config.resolve("vault.env") + "\nExecStart=\n"
                + "ExecStart=" + vault + " server -config=" + config.resolve("vault.hcl") + " -config=" + config.resolve("seal-awskms.hcl")
                + "\n");
        hosts.append("        ").append(name).append(":\n          vault_config_dir: ").append(config)
                .append("\n          vault_binary: ").append(vault)
                .append("\n          vault_unit_dir: ").append(units).append('\n');
        for (String variable : hostVars) {
            hosts.append("          ").append(variable).append('\n');
        }
        write();
    }

    private void write() throws IOException {
        Files.writeString(inventory, "all:\n  vars:\n    ansible_become: false\n    vault_status_probe: cli\n"
                + "    vault_addr: http://127.0.0.1:8200\n    vault_user: " + user + "\n    vault_group: " + group + "\n" + allVars
                + "  children:\n    vault:\n      hosts:\n" + hosts);
    }

    /** Runs the systemctl stand-in as {@code host}'s (e.g. {@code daemon-reload}). */
    public String systemctl(String host, String... args) throws IOException, InterruptedException {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(bin.resolve("systemctl").toString()));
        command.addAll(java.util.List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LOCAL_HOST_NAME", host);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return output;
    }

    public LocalConnector connector(Set<String> unreachable) {
        return new LocalConnector(unreachable, Map.of("PATH", bin + ":" + System.getenv("PATH")));
    }
}
