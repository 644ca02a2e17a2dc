package io.vaultcfg.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * A bastion given as {@code [user@]host[:port]}; a null user means "same user as the target", a port of
 * 0 means 22. {@code identityFiles} and {@code certificateFiles} are the hop's own from the ssh config
 * (no identity file: the target's keys).
 */
public record JumpHost(String user, String host, int port, List<Path> identityFiles, boolean identitiesOnly,
                       List<Path> certificateFiles) {

    public JumpHost {
        identityFiles = List.copyOf(identityFiles);
        certificateFiles = List.copyOf(certificateFiles);
    }

    public JumpHost(String user, String host, int port, List<Path> identityFiles, boolean identitiesOnly) {
        this(user, host, port, identityFiles, identitiesOnly, List.of());
    }

    public JumpHost(String user, String host, int port) {
        this(user, host, port, List.of(), false);
    }
}
