package io.vaultcfg.testing;

import io.vaultcfg.lab.EmbeddedSshHost;
import io.vaultcfg.lab.EmbeddedSshOptions;
import io.vaultcfg.ssh.JumpHost;
import io.vaultcfg.ssh.SshTarget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * N embedded SSH hosts for a test, all under one directory: a client ed25519 key pair, one root dir per
 * host ({@code host-0}, {@code host-1}, …), and a known_hosts file that trusts all of them.
 *
 * <pre>{@code
 * try (SshHosts hosts = SshHosts.start(tempDir, 3)) {
 *     try (RemoteSession s = new SshjConnector().connect(hosts.target(0))) { ... }
 * }
 * }</pre>
 */
public final class SshHosts implements AutoCloseable {
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path directory;
    private final ClientKeyPair clientKey;
    private final Path knownHosts;
    private final List<EmbeddedSshHost> hosts;

    private SshHosts(Path directory, ClientKeyPair clientKey, Path knownHosts, List<EmbeddedSshHost> hosts) {
        this.directory = directory;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
        this.hosts = hosts;
    }

    public static SshHosts start(Path directory, int count) throws IOException {
        return start(directory, count, UnaryOperator.identity());
    }

    /** {@code customize} adjusts each host's options (PATH prefix, environment, …) before it starts. */
    public static SshHosts start(Path directory, int count, UnaryOperator<EmbeddedSshOptions> customize) throws IOException {
        ClientKeyPair clientKey = ClientKeyPair.generate(directory.resolve("client"), "id_ed25519");
        String authorized = clientKey.publicKeyLine();
        List<EmbeddedSshHost> hosts = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                hosts.add(EmbeddedSshHost.start(customize.apply(EmbeddedSshOptions.of(directory.resolve("host-" + i), authorized))));
            }
        } catch (IOException | RuntimeException e) {
            hosts.forEach(EmbeddedSshHost::close);
            throw e;
        }
        Path knownHosts = directory.resolve("client").resolve("known_hosts");
        SshHosts started = new SshHosts(directory, clientKey, knownHosts, hosts);
        started.trustAll();
        return started;
    }

    /** Rewrites known_hosts so that it holds exactly the current key of every host. */
    public void trustAll() throws IOException {
        String lines = hosts.stream().map(EmbeddedSshHost::knownHostsLine).collect(Collectors.joining("\n", "", "\n"));
        Files.writeString(knownHosts, lines, StandardCharsets.UTF_8);
    }

    public void forgetAll() throws IOException {
        Files.deleteIfExists(knownHosts);
    }

    /** The name used in messages for host {@code i}: {@code vault-0i}. */
    public static String name(int i) {
        return String.format("vault-%02d", i);
    }

    public SshTarget target(int i) {
        return new SshTarget(name(i), "127.0.0.1", hosts.get(i).port(), System.getProperty("user.name"),
                Optional.of(clientKey.privateKey()), Optional.empty(), knownHosts, false, CONNECT_TIMEOUT);
    }

    public List<SshTarget> targets() {
        List<SshTarget> all = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) {
            all.add(target(i));
        }
        return all;
    }

    /** Host {@code i} reached through host {@code bastion} (which allows TCP forwarding). */
    public SshTarget targetVia(int i, int bastion) {
        SshTarget direct = target(i);
        return new SshTarget(direct.name(), direct.address(), direct.port(), direct.user(), direct.privateKey(),
                Optional.of(new JumpHost(null, "127.0.0.1", hosts.get(bastion).port())), direct.knownHosts(),
                direct.acceptNewHostKey(), direct.connectTimeout());
    }

    /**
     * Restarts host {@code i} on the same port with a new host key, as if it had been rebuilt; known_hosts
     * is left alone, so it now holds the old key.
     */
    public EmbeddedSshHost rebuild(int i) throws IOException {
        EmbeddedSshHost old = hosts.get(i);
        int port = old.port();
        old.close();
        Files.delete(old.root().resolve(EmbeddedSshHost.HOST_KEY_FILE));
        EmbeddedSshHost fresh = EmbeddedSshHost.start(old.options().withPort(port));
        hosts.set(i, fresh);
        return fresh;
    }

    public EmbeddedSshHost host(int i) {
        return hosts.get(i);
    }

    public int size() {
        return hosts.size();
    }

    public ClientKeyPair clientKey() {
        return clientKey;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void close() {
        hosts.forEach(EmbeddedSshHost::close);
    }
}
