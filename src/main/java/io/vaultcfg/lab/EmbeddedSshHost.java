package io.vaultcfg.lab;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A real SSH server on 127.0.0.1 (Apache MINA SSHD) standing in for one managed host in tests and the
 * lab. Commands run through {@code /bin/sh -c} as the current OS user. The host key lives in
 * {@code root/ssh_host_key}, so restarting with the same root keeps it; deleting that file and
 * restarting simulates a rebuilt host.
 */
public final class EmbeddedSshHost implements AutoCloseable {
    public static final String HOST_KEY_FILE = "ssh_host_key";
    private static final AtomicInteger PUMP_THREADS = new AtomicInteger();

    static {
        // MINA needs BouncyCastle for ed25519; let it use BC privately instead of adding it to the
        // JVM-wide providers, so the SSH client in the same JVM keeps running on the JDK's crypto.
        if (System.getProperty("org.apache.sshd.security.provider.BC.useNamed") == null) {
            System.setProperty("org.apache.sshd.security.provider.BC.useNamed", "false");
        }
    }

    private final EmbeddedSshOptions options;
    private final SshServer server;
    private final PublicKey hostKey;
    private final ExecutorService pumps;

    private EmbeddedSshHost(EmbeddedSshOptions options, SshServer server, PublicKey hostKey, ExecutorService pumps) {
        this.options = options;
        this.server = server;
        this.hostKey = hostKey;
        this.pumps = pumps;
    }

    public static EmbeddedSshHost start(EmbeddedSshOptions options) throws IOException {
        Files.createDirectories(options.root());
        PublicKey authorized = parseAuthorizedKey(options.authorizedKey());
        SimpleGeneratorHostKeyProvider hostKeys = hostKeyProvider(options.root().resolve(HOST_KEY_FILE));
        PublicKey hostKey = firstKey(hostKeys).getPublic();

        ExecutorService pumps = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "embedded-ssh-pump-" + PUMP_THREADS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        ProcessBuilder processTemplate = processTemplate(options);

        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(options.port());
        // small SSH packets (exec, EOF, exit-status, close) must not wait for delayed ACKs
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setKeyPairProvider(hostKeys);
        server.setKeyExchangeFactories(curve25519First());
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setGSSAuthenticator(null);
        server.setHostBasedAuthenticator(null);
        server.setPublickeyAuthenticator((user, key, session) ->
                (options.allowedUser() == null || options.allowedUser().equals(user)) && KeyUtils.compareKeys(authorized, key));
        server.setCommandFactory((channel, command) -> new ShellExecCommand(command, processTemplate, pumps));
        server.setForwardingFilter(options.allowTcpForwarding() ? AcceptAllForwardingFilter.INSTANCE : RejectAllForwardingFilter.INSTANCE);
        try {
            server.start();
        } catch (IOException e) {
            pumps.shutdownNow();
            throw e;
        }
        return new EmbeddedSshHost(options, server, hostKey, pumps);
    }

    /** Whether MINA can do ed25519 here; if not, host keys are ECDSA P-256. */
    public static boolean ed25519Supported() {
        return SecurityUtils.isEDDSACurveSupported();
    }

    private static SimpleGeneratorHostKeyProvider hostKeyProvider(Path file) {
        SimpleGeneratorHostKeyProvider provider = new SimpleGeneratorHostKeyProvider(file);
        if (ed25519Supported()) {
            provider.setAlgorithm(SecurityUtils.EDDSA);
        } else {
            provider.setAlgorithm(KeyUtils.EC_ALGORITHM);
        }
        provider.setKeySize(256);
        return provider;
    }

    private static KeyPair firstKey(SimpleGeneratorHostKeyProvider provider) throws IOException {
        for (KeyPair pair : provider.loadKeys(null)) {
            return pair;
        }
        throw new IOException("no host key in " + provider.getPath());
    }

    private static PublicKey parseAuthorizedKey(String line) throws IOException {
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.trim());
            if (entry == null) {
                throw new IOException("authorized key is empty");
            }
            return entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("authorized key is not an OpenSSH public key line: " + e.getMessage(), e);
        }
    }

    private static List<KeyExchangeFactory> curve25519First() {
        List<BuiltinDHFactories> order = List.of(
                BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh,
                BuiltinDHFactories.ecdhp256, BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp521,
                BuiltinDHFactories.dhgex256, BuiltinDHFactories.dhg16_512, BuiltinDHFactories.dhg14_256);
        return order.stream()
                .filter(BuiltinDHFactories::isSupported)
                .map(ServerBuilder.DH2KEX)
                .collect(Collectors.toList());
    }

    private static ProcessBuilder processTemplate(EmbeddedSshOptions options) {
        ProcessBuilder template = new ProcessBuilder().directory(options.effectiveWorkingDirectory().toFile());
        Map<String, String> env = template.environment();
        env.put("HOST_ROOT", options.root().toString());
        env.putAll(options.environment());
        if (!options.pathPrefix().isEmpty()) {
            String prefix = options.pathPrefix().stream().map(Path::toString).collect(Collectors.joining(":"));
            String path = env.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin");
            env.put("PATH", prefix + ":" + path);
        }
        return template;
    }

    public int port() {
        return server.getPort();
    }

    public Path root() {
        return options.root();
    }

    public EmbeddedSshOptions options() {
        return options;
    }

    public PublicKey hostKey() {
        return hostKey;
    }

    /** The line for a known_hosts file, e.g. {@code [127.0.0.1]:40022 ssh-ed25519 AAAA…}. */
    public String knownHostsLine() {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(hostKey);
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded SSH host on port " + port(), e);
        } finally {
            pumps.shutdownNow();
        }
    }
}
