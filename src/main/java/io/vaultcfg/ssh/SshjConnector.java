package io.vaultcfg.ssh;

import net.schmizz.keepalive.KeepAlive;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Opens SSH connections with sshj: strict known_hosts checking (optionally trust-on-first-use),
 * public-key authentication only, and optional jump hosts (ProxyJump {@code a,b}) followed hop by hop, each
 * hop tunnelled over a direct-tcpip channel of the one before.
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
        this(sshDirectory, System.getenv());
    }

    /** {@code environment} supplies {@code SSH_AUTH_SOCK}. */
    public SshjConnector(Path sshDirectory, Map<String, String> environment) {
        this(SshjConfig.shared(), sshDirectory, environment);
    }

    SshjConnector(SshjConfig config, Path sshDirectory) {
        this(config, sshDirectory, System.getenv(), KeepAlivePolicy.DEFAULT);
    }

    SshjConnector(SshjConfig config, Path sshDirectory, KeepAlivePolicy keepAlive) {
        this(config, sshDirectory, System.getenv(), keepAlive);
    }

    SshjConnector(SshjConfig config, Path sshDirectory, Map<String, String> environment) {
        this(config, sshDirectory, environment, KeepAlivePolicy.DEFAULT);
    }

    SshjConnector(SshjConfig config, Path sshDirectory, Map<String, String> environment, KeepAlivePolicy keepAlive) {
        this.config = config;
        this.keys = new ClientKeys(config, sshDirectory, environment);
        this.keepAlive = keepAlive;
    }

    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        refuseBadHostNames(target);
        Credentials credentials = keys.credentials(target.keyFiles(), target.options().certificateFiles(),
                target.options().identitiesOnly());
        Endpoint endpoint = new Endpoint(target.name(), target.address(), target.port(), target.user());
        List<SSHClient> hops = new ArrayList<>();
        DirectConnection tunnel = null;
        try {
            List<JumpHost> jumps = target.jumps();
            for (int i = 0; i < jumps.size(); i++) {
                Endpoint hop = hopEndpoint(target, jumps, i);
                JumpHost jump = jumps.get(i);
                Credentials hopCredentials = jump.identityFiles().isEmpty() && jump.certificateFiles().isEmpty() ? credentials
                        : keys.credentials(jump.identityFiles(), jump.certificateFiles(), jump.identitiesOnly());
                SSHClient client = login(target, hop, tunnel, new NegotiatedAlgorithmsRecorder(), hopCredentials, null);
                chainClose(hops, client);
                hops.add(client);
                Endpoint next = i + 1 < jumps.size() ? hopEndpoint(target, jumps, i + 1) : endpoint;
                tunnel = openTunnel(client, hop, next);
            }
            NegotiatedAlgorithmsRecorder algorithms = new NegotiatedAlgorithmsRecorder();
            SSHClient client = login(target, endpoint, tunnel, algorithms, credentials,
                    target.options().hostKeyAlias().orElse(null));
            return new SshjSession(target.name(), client, hops.isEmpty() ? null : hops.get(hops.size() - 1), algorithms.summary());
        } catch (HostUnreachableException e) {
            closeInReverse(hops);
            throw e;
        }
    }

    /** Hop {@code i} of the chain, named as OpenSSH users read it: {@code bastion b of vault-01} or {@code jump host 2 (b2) of vault-01}. */
    private static Endpoint hopEndpoint(SshTarget target, List<JumpHost> jumps, int i) {
        JumpHost jump = jumps.get(i);
        String label = jumps.size() == 1 ? "bastion " + jump.host() + " of " + target.name()
                : "jump host " + (i + 1) + " of " + jumps.size() + " (" + jump.host() + ") of " + target.name();
        return new Endpoint(label, jump.host(), jump.port() > 0 ? jump.port() : DEFAULT_BASTION_PORT,
                jump.user() != null && !jump.user().isBlank() ? jump.user() : target.user());
    }

    /**
     * Connects (directly, over {@code tunnel} from the previous hop, or over the target's ProxyCommand when
     * it has one and there is no tunnel), checks the host key and logs in.
     */
    private SSHClient login(SshTarget target, Endpoint endpoint, DirectConnection tunnel, NegotiatedAlgorithmsRecorder algorithms,
                            Credentials credentials, String hostKeyAlias) throws HostUnreachableException {
        SSHClient client = newClient(target, algorithms);
        ProxyCommandSocketFactory proxy = tunnel == null ? target.options().proxyCommand()
                .map(command -> new ProxyCommandSocketFactory(command, endpoint.port())).orElse(null) : null;
        if (proxy != null) {
            client.setSocketFactory(proxy);
        }
        KnownHostsVerifier verifier = verifier(target, endpoint, client, hostKeyAlias);
        Runnable cut = tunnel == null ? () -> cutSocket(client) : () -> StreamPump.closeQuietly(tunnel);
        try (HandshakeWatchdog watchdog = HandshakeWatchdog.start(target.connectTimeout(), cut)) {
            try {
                if (tunnel == null) {
                    client.connect(endpoint.host(), endpoint.port());
                } else {
                    client.connectVia(tunnel);
                }
                login(client, endpoint, credentials);
                return client;
            } catch (IOException | RuntimeException e) {
                // the proxy's fate is read before closing the client, which stops the command
                HostUnreachableException failure = proxy == null
                        ? ConnectFailures.explain(endpoint, e, verifier, credentials.describe(), target.connectTimeout(), watchdog.fired())
                        : ConnectFailures.throughProxy(endpoint, e, verifier, credentials.describe(), target.connectTimeout(),
                        watchdog.fired(), proxy);
                StreamPump.closeQuietly(client);
                throw failure;
            }
        }
    }

    private static DirectConnection openTunnel(SSHClient hop, Endpoint hopEndpoint, Endpoint next) throws HostUnreachableException {
        try {
            return hop.newDirectConnection(next.host(), next.port());
        } catch (IOException | RuntimeException e) {
            throw ConnectFailures.tunnelFailed(hopEndpoint, next, e);
        }
    }

    /**
     * The session closes the target and the last hop; each hop, once disconnected, closes the one before
     * it, so the whole chain goes down in order (also when a hop drops on its own).
     */
    private static void chainClose(List<SSHClient> earlierHops, SSHClient hop) {
        if (earlierHops.isEmpty()) {
            return;
        }
        SSHClient previous = earlierHops.get(earlierHops.size() - 1);
        hop.getTransport().setDisconnectListener((reason, message) -> StreamPump.closeQuietly(previous));
    }

    private static void closeInReverse(List<SSHClient> hops) {
        for (int i = hops.size() - 1; i >= 0; i--) {
            StreamPump.closeQuietly(hops.get(i));
        }
    }

    /** Names that would be written to known_hosts or handed to a shell are refused before anything is contacted. */
    private static void refuseBadHostNames(SshTarget target) throws HostUnreachableException {
        String problem = HostNames.problem(target.address());
        if (problem != null) {
            throw new HostUnreachableException("host name of " + target.name() + " (ansible_host) " + problem + "; refused");
        }
        for (JumpHost jump : target.jumps()) {
            problem = HostNames.problem(jump.host());
            if (problem != null) {
                throw new HostUnreachableException("a jump host name of " + target.name() + " " + problem + "; refused");
            }
        }
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
        KeepAlivePolicy policy = target.options().keepAlive().orElse(keepAlive);
        alive.setKeepAliveInterval(policy.intervalSeconds());
        if (alive instanceof SharedKeepAlive shared) {
            shared.setMaxUnanswered(policy.maxUnanswered());
        }
        return client;
    }

    private static KnownHostsVerifier verifier(SshTarget target, Endpoint endpoint, SSHClient client, String hostKeyAlias)
            throws HostUnreachableException {
        try {
            KnownHostsVerifier verifier = KnownHostsVerifier.load(target.knownHosts(), target.knownHostsToRead(),
                    target.acceptNewHostKey(), hostKeyAlias);
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

    private static void login(SSHClient client, Endpoint endpoint, Credentials credentials) throws IOException {
        client.auth(endpoint.user(), credentials.methods());
        client.getTransport().setTimeoutMs((int) REPLY_TIMEOUT.toMillis());
    }
}
