package io.vaultcfg.inventory;

import java.util.Map;

/** TEMPORARY stub until the inventory branch lands. */
public record Host(String name, Map<String, Object> vars) {
}
