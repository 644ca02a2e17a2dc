package io.vaultcfg.ssh;

import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Opens SSH connections with sshj: strict known_hosts checking (optionally trust-on-first-use),
 * public-key authentication only, and an optional bastion (ProxyJump) tunnelled over direct-tcpip.
 * Thread-safe; share one instance for a whole run.
 */
public final class SshjConnector implements SshConnector {
    private static final int DEFAULT_BASTION_PORT = 22;
    /** How long sshj waits for a reply on an open connection (channel opens, requests). */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

    private final SshjConfig config;
    private final ClientKeys keys;
    private final KeepAlivePolicy keepAlive;

    public SshjConnector() {
        this(ClientKeys.userSshDirectory());
    }

    /** With {@code sshDirectory} as the place to look for default keys instead of {@code ~/.ssh}. */
    public SshjConnector(Path sshDirectory) {
        this(SshjConfig.shared(), sshDirectory);
    }

    SshjConnector(SshjConfig config, Path sshDirectory) {
        this(config, sshDirectory, KeepAlivePolicy.DEFAULT);
    }

    SshjConnector(SshjConfig config, Path sshDirectory, KeepAlivePolicy keepAlive) {
        this.config = config;
        this.keys = new ClientKeys(config, sshDirectory);
        this.keepAlive = keepAlive;
    }

    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        List<Path> keyFiles = keys.files(target.privateKey());
        List<KeyProvider> providers = keys.providers(keyFiles);
        Endpoint endpoint = new Endpoint(target.name(), target.address(), target.port(), target.user());
        if (target.jump().isEmpty()) {
            NegotiatedAlgorithmsRecorder algorithms = new NegotiatedAlgorithmsRecorder();
            SSHClient client = newClient(target, algorithms);
            KnownHostsVerifier verifier = verifier(target, endpoint, client);
            try (HandshakeWatchdog watchdog = HandshakeWatchdog.start(target.connectTimeout(), () -> cutSocket(client))) {
                try {
                    client.connect(endpoint.host(), endpoint.port());
                    login(client, endpoint, providers);
                    return new SshjSession(target.name(), client, null, algorithms.summary());
                } catch (IOException | RuntimeException e) {
                    StreamPump.closeQuietly(client);
                    throw ConnectFailures.explain(endpoint, e, verifier, keyFiles, target.connectTimeout(), watchdog.fired());
                }
            }
        }
        return connectThroughBastion(target, endpoint, keyFiles, providers);
    }

    private RemoteSession connectThroughBastion(SshTarget target, Endpoint endpoint, List<Path> keyFiles,
                                                List<KeyProvider> providers) throws HostUnreachableException {
        JumpHost jump = target.jump().orElseThrow();
        Endpoint bastionEndpoint = new Endpoint("bastion " + jump.host() + " of " + target.name(), jump.host(),
                jump.port() > 0 ? jump.port() : DEFAULT_BASTION_PORT,
                jump.user() != null && !jump.user().isBlank() ? jump.user() : target.user());
        SSHClient bastion = newClient(target);
        KnownHostsVerifier bastionVerifier = verifier(target, bastionEndpoint, bastion);
        try (HandshakeWatchdog watchdog = HandshakeWatchdog.start(target.connectTimeout(), () -> cutSocket(bastion))) {
            try {
                bastion.connect(bastionEndpoint.host(), bastionEndpoint.port());
                login(bastion, bastionEndpoint, providers);
            } catch (IOException | RuntimeException e) {
                StreamPump.closeQuietly(bastion);
                throw ConnectFailures.explain(bastionEndpoint, e, bastionVerifier, keyFiles, target.connectTimeout(),
                        watchdog.fired());
            }
        }
        DirectConnection tunnel;
        try {
            tunnel = bastion.newDirectConnection(endpoint.host(), endpoint.port());
        } catch (IOException | RuntimeException e) {
            StreamPump.closeQuietly(bastion);
            throw ConnectFailures.tunnelFailed(bastionEndpoint, endpoint, e);
        }
        NegotiatedAlgorithmsRecorder algorithms = new NegotiatedAlgorithmsRecorder();
        SSHClient client = newClient(target, algorithms);
        KnownHostsVerifier verifier = verifier(target, endpoint, client);
        try (HandshakeWatchdog watchdog = HandshakeWatchdog.start(target.connectTimeout(), () -> StreamPump.closeQuietly(tunnel))) {
            try {
                client.connectVia(tunnel);
                login(client, endpoint, providers);
                return new SshjSession(target.name(), client, bastion, algorithms.summary());
            } catch (IOException | RuntimeException e) {
                StreamPump.closeQuietly(client);
                StreamPump.closeQuietly(bastion);
                throw ConnectFailures.explain(endpoint, e, verifier, keyFiles, target.connectTimeout(), watchdog.fired());
            }
        }
    }

    private SSHClient newClient(SshTarget target) {
        return newClient(target, new NegotiatedAlgorithmsRecorder());
    }

    private SSHClient newClient(SshTarget target, NegotiatedAlgorithmsRecorder algorithms) {
        SSHClient client = new SSHClient(config);
        client.setSocketFactory(NoDelaySocketFactory.INSTANCE);
        client.getTransport().addAlgorithmsVerifier(algorithms);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, target.connectTimeout().toMillis()));
        client.setConnectTimeout(timeoutMillis);
        // bounds the handshake too, so a port that accepts but never speaks SSH fails in time
        client.getTransport().setTimeoutMs(timeoutMillis);
        // set before connect: sshj starts the keep-alive thread on connect, and it sends only once logged in
        KeepAlive alive = client.getConnection().getKeepAlive();
        alive.setKeepAliveInterval(keepAlive.intervalSeconds());
        if (alive instanceof KeepAliveRunner runner) {
            runner.setMaxAliveCount(keepAlive.maxUnanswered());
        }
        return client;
    }

    private static KnownHostsVerifier verifier(SshTarget target, Endpoint endpoint, SSHClient client)
            throws HostUnreachableException {
        try {
            KnownHostsVerifier verifier = KnownHostsVerifier.load(target.knownHosts(), target.acceptNewHostKey());
            client.addHostKeyVerifier(verifier);
            return verifier;
        } catch (IOException e) {
            StreamPump.closeQuietly(client);
            throw new HostUnreachableException("cannot read known_hosts file " + target.knownHosts() + " for "
                    + endpoint.label() + ": " + e.getMessage(), e);
        }
    }

    private static void cutSocket(SSHClient client) {
        java.net.Socket socket = client.getSocket();
        if (socket != null) {
            StreamPump.closeQuietly(socket);
        }
    }

    private static void login(SSHClient client, Endpoint endpoint, List<KeyProvider> providers) throws IOException {
        client.authPublickey(endpoint.user(), providers);
        client.getTransport().setTimeoutMs((int) REPLY_TIMEOUT.toMillis());
    }
}
