package io.vaultcfg.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * A bastion given as {@code [user@]host[:port]}; a null user means "same user as the target", a port of
 * 0 means 22. {@code identityFiles} are the hop's own keys from the ssh config (empty: the target's).
 */
public record JumpHost(String user, String host, int port, List<Path> identityFiles, boolean identitiesOnly) {

    public JumpHost {
        identityFiles = List.copyOf(identityFiles);
    }

    public JumpHost(String user, String host, int port) {
        this(user, host, port, List.of(), false);
    }
}
