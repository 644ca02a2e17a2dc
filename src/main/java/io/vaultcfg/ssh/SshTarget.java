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
 * @param options          what an ssh config adds (more keys, known_hosts files, HostKeyAlias, keep-alives)
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
        Duration connectTimeout,
        ConnectOptions options) {

    public SshTarget {
        jumps = List.copyOf(jumps);
    }

    public SshTarget(String name, String address, int port, String user, Optional<Path> privateKey, List<JumpHost> jumps,
                     Path knownHosts, boolean acceptNewHostKey, Duration connectTimeout) {
        this(name, address, port, user, privateKey, jumps, knownHosts, acceptNewHostKey, connectTimeout, ConnectOptions.NONE);
    }

    /** The key files to offer, in order; empty means OpenSSH's default files. */
    public List<Path> keyFiles() {
        List<Path> files = new java.util.ArrayList<>(privateKey.stream().toList());
        files.addAll(options.identityFiles());
        return files;
    }

    /** The files a host key is looked up in: the ssh config's, else just {@link #knownHosts()}. */
    public List<Path> knownHostsToRead() {
        return options.knownHostsToRead().isEmpty() ? List.of(knownHosts) : options.knownHostsToRead();
    }

    /** With at most one jump host. */
    public SshTarget(String name, String address, int port, String user, Optional<Path> privateKey, Optional<JumpHost> jump,
                     Path knownHosts, boolean acceptNewHostKey, Duration connectTimeout) {
        this(name, address, port, user, privateKey, jump.stream().toList(), knownHosts, acceptNewHostKey, connectTimeout,
                ConnectOptions.NONE);
    }
}
