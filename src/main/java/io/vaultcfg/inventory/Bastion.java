package io.vaultcfg.inventory;

/** A jump host as the inventory names it, {@code [user@]host[:port]}; a null user means "same user as the target". */
public record Bastion(String user, String host, int port) {
}
