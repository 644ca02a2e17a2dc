package io.vaultcfg.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the lab's inventory in Ansible's format. Only variables differ from a production
 * inventory: paths under the lab directory, the current user as owner, the emulator as AWS.
 */
final class LabInventory {
    private LabInventory() {
    }

    static void write(LabLayout layout, List<LabHost> hosts, String awsEndpoint, String region) throws IOException {
        String user = System.getProperty("user.name");
        String group = currentGroup(layout.dir());
        StringBuilder yaml = new StringBuilder()
                .append("# vaultcfg lab: ").append(hosts.size()).append(" local SSH hosts, AWS is the local emulator.\n")
                .append("# Written by `vaultcfg lab`; removed by `vaultcfg lab down`.\n")
                .append("all:\n  vars:\n")
                .append("    ansible_host: 127.0.0.1\n")
                .append("    ansible_user: ").append(quote(user)).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(quote(layout.clientKey().toString())).append('\n')
                .append("    vaultcfg_known_hosts_file: ").append(quote(layout.knownHosts().toString())).append('\n')
                .append("    ansible_become: false\n")
                .append("    aws_region: ").append(region).append('\n')
                .append("    aws_endpoint_url: ").append(quote(awsEndpoint)).append('\n')
                .append("    aws_profile: vaultcfg-lab\n")
                .append("    aws_shared_credentials_file: ").append(quote(layout.awsCredentials().toString())).append('\n')
                .append("    aws_preflight_timeout: 30\n")
                .append("    vault_kms_endpoint: ").append(quote(awsEndpoint)).append('\n')
                .append("    vault_user: ").append(quote(user)).append('\n')
                .append("    vault_group: ").append(quote(group)).append('\n')
                .append("    vault_unit_owner: ").append(quote(user)).append('\n')
                .append("    vault_config_dir_owner: ").append(quote(user)).append('\n')
                .append("    vault_unit_group: ").append(quote(group)).append('\n')
                .append("    vault_status_retries: 30\n")
                .append("    vault_status_delay: 1\n")
                .append("  children:\n    vault:\n      hosts:\n");
        for (LabHost host : hosts) {
            Path root = host.root();
            yaml.append("        ").append(host.name()).append(":\n")
                    .append("          ansible_port: ").append(host.sshPort()).append('\n')
                    .append("          vault_config_dir: ").append(quote(root.resolve("etc/vault.d").toString())).append('\n')
                    .append("          vault_unit_dir: ").append(quote(root.resolve("etc/systemd/system").toString())).append('\n')
                    .append("          vault_binary: ").append(quote(root.resolve("bin/vault").toString())).append('\n')
                    .append("          vault_addr: ").append(quote(host.vaultAddress())).append('\n');
        }
        Files.writeString(layout.inventory(), yaml);
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String currentGroup(Path dir) throws IOException {
        Path probe = Files.createTempFile(dir, ".group", "");
        try {
            return Files.readAttributes(probe, java.nio.file.attribute.PosixFileAttributes.class).group().getName();
        } finally {
            Files.delete(probe);
        }
    }
}
