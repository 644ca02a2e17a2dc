package io.vaultcfg.playbook;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One play. {@code defaults} is a vaultcfg addition with the lowest precedence (below inventory),
 * what Ansible roles call defaults; {@code vars} sits above inventory vars, as in Ansible.
 */
public record Play(
        String name,
        String hosts,
        Map<String, Object> defaults,
        Map<String, Object> vars,
        List<String> secretVars,
        Optional<Boolean> become,
        Optional<String> becomeUser,
        Serial serial,
        List<Task> tasks,
        List<Task> handlers,
        String location) {
}
