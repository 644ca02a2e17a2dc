package io.vaultcfg.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything needed to open one SSH connection to one host.
 *
 * @param name             the inventory name, used in messages
 * @param address          what to connect to (ansible_host, else the name)
 * @param privateKey       key file; empty means the user's default keys (~/.ssh/id_ed25519, id_ecdsa, id_rsa)
 * @param jumps            jump hosts to tunnel through, in order (ProxyJump {@code a,b}: a first); empty for none
 * @param knownHosts       known_hosts file checked strictly
 * @param acceptNewHostKey trust-on-first-use: unknown keys are added, changed keys still refused
 */
public record SshTarget(
        String name,
        String address,
        int port,
        String user,
        Optional<Path> privateKey,
        List<JumpHost> jumps,
        Path knownHosts,
        boolean acceptNewHostKey,
        Duration connectTimeout) {

    public SshTarget {
        jumps = List.copyOf(jumps);
    }

    /** With at most one jump host. */
    public SshTarget(String name, String address, int port, String user, Optional<Path> privateKey, Optional<JumpHost> jump,
                     Path knownHosts, boolean acceptNewHostKey, Duration connectTimeout) {
        this(name, address, port, user, privateKey, jump.stream().toList(), knownHosts, acceptNewHostKey, connectTimeout);
    }
}
