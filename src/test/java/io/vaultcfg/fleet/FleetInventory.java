package io.vaultcfg.fleet;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An Ansible-format inventory of a {@link Fleet}'s hosts (group {@code vault}) for vaultcfg's built-in playbook against
 * the AWS emulator, as its admin under a profile of a credentials file beside the inventory.
 */
final class FleetInventory {
    private FleetInventory() {
    }

    /** Writes {@code aws-credentials} and {@code inventory.yml} into {@code dir}; returns the inventory. */
    static Path write(Path dir, Fleet fleet, AwsEmulator emulator, AccessKeyPair admin, String profile, int statusRetries)
            throws IOException {
        Path credentials = dir.resolve("aws-credentials");
        Files.writeString(credentials, "[" + profile + "]\naws_access_key_id = " + admin.accessKeyId()
                + "\naws_secret_access_key = " + admin.secretAccessKey() + "\n");
        StringBuilder yaml = new StringBuilder("all:\n  vars:\n")
                .append("    ansible_user: ").append(Fleet.LOGIN_USER).append('\n')
                .append("    ansible_ssh_private_key_file: ").append(fleet.privateKey()).append('\n')
                .append("    ansible_ssh_common_args: \"-o UserKnownHostsFile=").append(fleet.knownHosts()).append("\"\n")
                .append("    ansible_become: true\n")
                .append("    aws_region: us-east-2\n")
                .append("    aws_endpoint_url: ").append(emulator.endpoint()).append('\n')
                .append("    vault_kms_endpoint: ").append(emulator.endpoint()).append('\n')
                .append("    aws_profile: ").append(profile).append('\n')
                .append("    aws_shared_credentials_file: ").append(credentials).append('\n')
                .append("    vault_binary: ").append(Fleet.BAO).append('\n')
                .append("    vault_status_retries: ").append(statusRetries).append("\n    vault_status_delay: 1\n")
                .append("  children:\n    vault:\n      hosts:\n");
        for (FleetHost host : fleet.hosts()) {
            yaml.append("        ").append(host.name()).append(":\n")
                    .append("          ansible_host: ").append(host.address()).append('\n')
                    .append("          vault_addr: ").append(host.vaultAddress()).append('\n');
        }
        Path inventory = dir.resolve("inventory.yml");
        Files.writeString(inventory, yaml);
        return inventory;
    }
}
