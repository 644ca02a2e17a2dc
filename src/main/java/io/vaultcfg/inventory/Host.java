package io.vaultcfg.inventory;

import java.util.List;
import java.util.Map;

/**
 * A host with its merged inventory variables (all < parent groups < child groups < host), in
 * precedence order, and the groups it belongs to (directly or through a parent), sorted.
 */
public record Host(String name, Map<String, Object> vars, List<String> groups) {
}
