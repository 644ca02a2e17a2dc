package io.vaultcfg.plan;

/**
 * A value that only applying a plan can produce, such as the id of a key still to be created. It is a
 * type of its own so that nothing mistakes it for data: the renderers show it, planning never compares it.
 *
 * @param name the variable it stands for
 */
public record Unknown(String name) {
}
