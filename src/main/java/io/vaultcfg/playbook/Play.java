package io.vaultcfg.playbook;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One play. {@code defaults} is a vaultcfg addition with the lowest precedence (below inventory),
 * what Ansible roles call defaults; {@code vars} sits above inventory vars, as in Ansible.
 * {@code maxFailPercentage}: as Ansible's {@code max_fail_percentage}, the play stops after a batch in which
 * more than this share of the hosts failed (exceeded, not equalled).
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
        Optional<Integer> maxFailPercentage,
        List<Task> tasks,
        List<Task> handlers,
        String location) {
}
