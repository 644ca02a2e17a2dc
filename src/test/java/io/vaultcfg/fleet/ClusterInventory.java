package io.vaultcfg.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** An Ansible-format inventory of a {@link FleetCluster} for vaultcfg's built-in playbook. */
final class ClusterInventory {
    private ClusterInventory() {
    }

    static Path write(FleetCluster cluster, Path file) throws IOException {
        Fleet fleet = cluster.fleet();
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n")
                .append("    ansible_user: ").append(Fleet.LOGIN_USER).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append('\n')
                .append("    ansible_ssh_common_args: \"-o UserKnownHostsFile=").append(fleet.knownHosts()).append("\"\n")
                .append("    ansible_become: true\n")
                .append("    aws_region: ").append(ClusterKms.REGION).append('\n')
                .append("    aws_endpoint_url: ").append(cluster.emulator().endpoint()).append('\n')
                .append("    aws_profile: ").append(ClusterKms.ADMIN_PROFILE).append('\n')
                .append("    aws_shared_credentials_file: ").append(cluster.adminCredentialsFile()).append('\n')
                .append("    vault_binary: ").append(Fleet.BAO).append('\n')
                .append("    vault_status_retries: 40\n    vault_status_delay: 1\n")
                .append("  children:\n    vault:\n      hosts:\n");
        for (int node = 0; node < cluster.size(); node++) {
            FleetHost host = cluster.host(node);
            yaml.append("        ").append(host.name()).append(":\n")
                    .append("          ansible_host: ").append(host.address()).append('\n')
                    .append("          vault_addr: ").append(host.vaultAddress()).append('\n')
                    // each node's KMS requests come from its own address, so the emulator can deny one node
                    .append("          vault_kms_endpoint: ").append(cluster.kmsEndpoint(node)).append('\n');
        }
        Files.writeString(file, yaml);
        return file;
    }
}
