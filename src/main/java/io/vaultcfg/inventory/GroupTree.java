package io.vaultcfg.inventory;

import java.util.List;
import java.util.Map;

/**
 * The groups as Ansible holds them: each group's own hosts (in the order they were added) and child
 * groups; {@code all} lists {@code ungrouped} first. Every group has an entry in both maps.
 */
public record GroupTree(Map<String, List<String>> directHosts, Map<String, List<String>> childGroups) {
}
