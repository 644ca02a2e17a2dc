package io.vaultcfg.ssh;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import com.hierynomus.sshj.userauth.certificate.Certificate;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;
import net.schmizz.sshj.userauth.method.AuthPublickey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * The user's keys, in OpenSSH's order: user certificates named by {@code CertificateFile}, those of
 * ssh-agent ({@code SSH_AUTH_SOCK}), then the configured key files or the OpenSSH default files that
 * exist, each followed by the {@code KEY-cert.pub} beside it. The agent's list and each file are read
 * once, then shared by all connections.
 */
final class ClientKeys {
    private static final List<String> DEFAULT_KEY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final Config config;
    private final Path sshDirectory;
    private final Optional<SshAgentClient> agent;
    private final ConcurrentMap<Path, KeyProvider> loaded = new ConcurrentHashMap<>();
    private final ConcurrentMap<Path, Certificate<?>> certificates = new ConcurrentHashMap<>();
    private final KeyPassphrases passphrases;
    private volatile AgentKeys agentKeys;

    /** The agent's keys as listed once, or why it could not be asked. */
    private record AgentKeys(List<SshAgentClient.Identity> keys, String problem) {
    }

    ClientKeys(Config config, Path sshDirectory, Map<String, String> environment) {
        this.config = config;
        this.sshDirectory = sshDirectory;
        this.agent = SshAgentClient.fromEnvironment(environment);
        this.passphrases = new KeyPassphrases(environment);
    }

    /** Everything one connection may offer; fails, naming what was looked at, when there is nothing. */
    Credentials credentials(Optional<Path> configured) throws HostUnreachableException {
        return credentials(configured.stream().toList(), List.of(), false);
    }

    Credentials credentials(List<Path> configured, boolean identitiesOnly) throws HostUnreachableException {
        return credentials(configured, List.of(), identitiesOnly);
    }

    /**
     * In OpenSSH's order: the {@code CertificateFile}s (each signed by the key file or agent key it
     * certifies), the agent's keys, then each key file followed, when no CertificateFile is given, by the
     * {@code KEY-cert.pub} beside it.
     *
     * @param configured       IdentityFile(s) in order; empty means OpenSSH's default files
     * @param certificateFiles CertificateFile(s) in order
     * @param identitiesOnly   as OpenSSH's IdentitiesOnly: of the agent's keys only those of these files are offered
     */
    Credentials credentials(List<Path> configured, List<Path> certificateFiles, boolean identitiesOnly)
            throws HostUnreachableException {
        AgentKeys fromAgent = agentKeys();
        List<Path> files = files(configured, fromAgent.keys().isEmpty() || identitiesOnly, fromAgent.problem());
        List<KeyProvider> providers = providers(files);
        List<SshAgentClient.Identity> agentOffers = identitiesOnly ? ofFiles(fromAgent.keys(), providers) : fromAgent.keys();
        List<Credentials.Offer> offers = new ArrayList<>();
        List<String> described = new ArrayList<>();
        for (Path file : certificateFiles) {
            certificateOffer(file, certificate(file), providers, fromAgent.keys(), offers, described);
        }
        if (!agentOffers.isEmpty()) {
            SshAgentClient client = agent.orElseThrow();
            agentOffers.forEach(identity -> offers.add(new Credentials.Offer(() -> new AgentAuthMethod(client, identity))));
            described.add(agentOffers.size() + " key(s) of ssh-agent " + client.socket());
        }
        for (int i = 0; i < files.size(); i++) {
            KeyProvider key = providers.get(i);
            PublicKey plain = plainPublic(key);
            offers.add(new Credentials.Offer(() -> new AuthPublickey(new UserCertificate.Presented(plain, key))));
            described.add(files.get(i).toString());
            Path beside = Path.of(files.get(i) + "-cert.pub");
            if (certificateFiles.isEmpty() && Files.isRegularFile(beside)) {
                besideOffer(beside, key, plain, offers, described);
            }
        }
        return new Credentials(offers, described);
    }

    /** A CertificateFile: signed by the key file, else the agent key, it certifies; named and skipped when neither has it. */
    private void certificateOffer(Path file, Certificate<?> certificate, List<KeyProvider> providers,
                                  List<SshAgentClient.Identity> agentKeys, List<Credentials.Offer> offers,
                                  List<String> described) throws HostUnreachableException {
        byte[] certified = UserCertificate.blob(certificate.getKey());
        for (KeyProvider key : providers) {
            if (Arrays.equals(certified, UserCertificate.blob(plainPublic(key)))) {
                offers.add(new Credentials.Offer(() -> new AuthPublickey(new UserCertificate.Presented(certificate, key))));
                described.add("certificate " + file);
                return;
            }
        }
        for (SshAgentClient.Identity identity : agentKeys) {
            if (Arrays.equals(certified, identity.blob())) {
                SshAgentClient.Identity presented = new SshAgentClient.Identity(UserCertificate.blob(certificate), file.toString());
                SshAgentClient client = agent.orElseThrow();
                offers.add(new Credentials.Offer(() -> new AgentAuthMethod(client, identity, presented)));
                described.add("certificate " + file + " (signed by ssh-agent)");
                return;
            }
        }
        described.add("certificate " + file + " (not offered: neither a key file nor ssh-agent holds the key it certifies)");
    }

    /** {@code KEY-cert.pub}: offered after its key, as OpenSSH does; one that is not a certificate of that key is named, not offered. */
    private void besideOffer(Path beside, KeyProvider key, PublicKey plain, List<Credentials.Offer> offers, List<String> described) {
        try {
            Certificate<?> certificate = certificate(beside);
            if (!Arrays.equals(UserCertificate.blob(certificate.getKey()), UserCertificate.blob(plain))) {
                described.add("certificate " + beside + " (not offered: it certifies another key)");
                return;
            }
            offers.add(new Credentials.Offer(() -> new AuthPublickey(new UserCertificate.Presented(certificate, key))));
            described.add("certificate " + beside);
        } catch (HostUnreachableException e) {
            described.add(beside + " (not offered: " + e.getMessage() + ")");
        }
    }

    private Certificate<?> certificate(Path file) throws HostUnreachableException {
        Certificate<?> known = certificates.get(file);
        if (known == null) {
            known = UserCertificate.read(file);
            certificates.putIfAbsent(file, known);
        }
        return known;
    }

    /** The key a key file holds, also when sshj read the {@code -cert.pub} beside it as its public key. */
    private static PublicKey plainPublic(KeyProvider key) throws HostUnreachableException {
        try {
            return UserCertificate.plain(key.getPublic());
        } catch (IOException e) {
            throw new HostUnreachableException("cannot read the public key of a key file: " + describe(e), e);
        }
    }

    private static List<SshAgentClient.Identity> ofFiles(List<SshAgentClient.Identity> agentKeys, List<KeyProvider> files)
            throws HostUnreachableException {
        List<byte[]> blobs = new ArrayList<>();
        for (KeyProvider file : files) {
            blobs.add(UserCertificate.blob(plainPublic(file)));
        }
        return agentKeys.stream().filter(key -> blobs.stream().anyMatch(blob -> Arrays.equals(blob, key.blob()))).toList();
    }

    private AgentKeys agentKeys() {
        AgentKeys known = agentKeys;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (agentKeys == null) {
                agentKeys = listAgentKeys();
            }
            return agentKeys;
        }
    }

    private AgentKeys listAgentKeys() {
        if (agent.isEmpty()) {
            return new AgentKeys(List.of(), "SSH_AUTH_SOCK is not set");
        }
        try {
            List<SshAgentClient.Identity> keys = agent.get().identities();
            return new AgentKeys(keys, keys.isEmpty() ? "ssh-agent at " + agent.get().socket() + " holds no key" : null);
        } catch (IOException e) {
            // as OpenSSH: an agent that cannot be reached is skipped, the key files are still tried
            return new AgentKeys(List.of(), "cannot reach ssh-agent at " + agent.get().socket() + ": " + describe(e));
        }
    }

    static Path userSshDirectory() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    /** The key files a connection will offer, in order. */
    private List<Path> files(List<Path> configured, boolean required, String agentProblem) throws HostUnreachableException {
        if (!configured.isEmpty()) {
            for (Path file : configured) {
                if (!Files.isReadable(file)) {
                    throw new HostUnreachableException("private key file " + file + " does not exist or is not readable");
                }
            }
            return List.copyOf(new java.util.LinkedHashSet<>(configured));
        }
        List<Path> present = new ArrayList<>();
        for (String name : DEFAULT_KEY_NAMES) {
            Path candidate = sshDirectory.resolve(name);
            if (Files.isReadable(candidate)) {
                present.add(candidate);
            }
        }
        if (present.isEmpty() && required) {
            throw new HostUnreachableException("no private key configured, no key from ssh-agent (" + agentProblem
                    + ") and none of "
                    + DEFAULT_KEY_NAMES.stream().map(sshDirectory::resolve).map(Path::toString).collect(Collectors.joining(", "))
                    + " exists; add a key to ssh-agent or configure the key file to log in with");
        }
        return present;
    }

    private List<KeyProvider> providers(List<Path> files) throws HostUnreachableException {
        List<KeyProvider> providers = new ArrayList<>(files.size());
        for (Path file : files) {
            providers.add(provider(file));
        }
        return providers;
    }

    private KeyProvider provider(Path file) throws HostUnreachableException {
        KeyProvider cached = loaded.get(file);
        if (cached != null) {
            return cached;
        }
        // one reader at a time, so that a passphrase is asked for once per key, not once per connection
        synchronized (loaded) {
            cached = loaded.get(file);
            if (cached != null) {
                return cached;
            }
            KeyProvider fresh = read(file);
            loaded.put(file, fresh);
            return fresh;
        }
    }

    private KeyProvider read(Path file) throws HostUnreachableException {
        KeyFilePermissions.refuseUnprotected(file);
        KeyPassphrases.Finder passphrase = passphrases.finderFor(file);
        try {
            KeyFormat format = KeyProviderUtil.detectKeyFileFormat(file.toFile());
            FileKeyProvider provider = Factory.Named.Util.create(config.getFileKeyProviderFactories(), format.toString());
            if (provider == null) {
                throw new HostUnreachableException("private key file " + file + " has a format we cannot read (" + format + ")");
            }
            provider.init(file.toFile(), passphrase);
            // parse now, once: later calls return the cached keys, safely from any thread
            provider.getPrivate();
            provider.getPublic();
            provider.getType();
            return provider;
        } catch (IOException | RuntimeException e) {
            if (passphrase.asked() || e instanceof KeyDecryptionFailedException) {
                throw new HostUnreachableException("cannot decrypt private key file " + file + ": " + passphrases.whyFailed(file));
            }
            throw new HostUnreachableException("cannot use private key file " + file + ": " + describe(e));
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
