package io.vaultcfg.inventory;

import java.util.List;

/**
 * An OpenSSH option the inventory gives for a host, as Ansible puts it on ssh's command line
 * ({@code -o Keyword=value}): from {@code ansible_port}, {@code ansible_user}, the key file,
 * {@code ansible_ssh_common_args}, or vaultcfg's own variables. Checked against what vaultcfg supports
 * where the connection is resolved (package {@code ssh}), with {@code location} and {@code field} for errors.
 */
public record SshOption(String keyword, List<String> args, String location, String field) {
    public SshOption {
        args = List.copyOf(args);
    }
}
