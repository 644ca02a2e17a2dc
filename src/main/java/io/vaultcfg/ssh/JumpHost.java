package io.vaultcfg.ssh;

/** A bastion given as {@code [user@]host[:port]}; a null user means "same user as the target". */
public record JumpHost(String user, String host, int port) {
}
