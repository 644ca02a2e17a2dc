package io.vaultcfg.ssh;

import com.hierynomus.sshj.common.KeyDecryptionFailedException;
import net.schmizz.sshj.Config;
import net.schmizz.sshj.common.Factory;
import net.schmizz.sshj.userauth.keyprovider.FileKeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyFormat;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.keyprovider.KeyProviderUtil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * The user's private keys: the configured file, or the OpenSSH defaults that exist. Each file is read
 * and parsed once, then shared by all connections.
 */
final class ClientKeys {
    private static final List<String> DEFAULT_KEY_NAMES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

    private final Config config;
    private final Path sshDirectory;
    private final ConcurrentMap<Path, KeyProvider> loaded = new ConcurrentHashMap<>();

    ClientKeys(Config config, Path sshDirectory) {
        this.config = config;
        this.sshDirectory = sshDirectory;
    }

    static Path userSshDirectory() {
        return Path.of(System.getProperty("user.home"), ".ssh");
    }

    /** The key files a connection will offer, in order. */
    List<Path> files(Optional<Path> configured) throws HostUnreachableException {
        if (configured.isPresent()) {
            Path file = configured.get();
            if (!Files.isReadable(file)) {
                throw new HostUnreachableException("private key file " + file + " does not exist or is not readable");
            }
            return List.of(file);
        }
        List<Path> present = new ArrayList<>();
        for (String name : DEFAULT_KEY_NAMES) {
            Path candidate = sshDirectory.resolve(name);
            if (Files.isReadable(candidate)) {
                present.add(candidate);
            }
        }
        if (present.isEmpty()) {
            throw new HostUnreachableException("no private key configured and none of "
                    + DEFAULT_KEY_NAMES.stream().map(sshDirectory::resolve).map(Path::toString).collect(Collectors.joining(", "))
                    + " exists; configure the key file to log in with");
        }
        return present;
    }

    List<KeyProvider> providers(List<Path> files) throws HostUnreachableException {
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
        KeyProvider fresh = read(file);
        KeyProvider raced = loaded.putIfAbsent(file, fresh);
        return raced != null ? raced : fresh;
    }

    private KeyProvider read(Path file) throws HostUnreachableException {
        try {
            KeyFormat format = KeyProviderUtil.detectKeyFileFormat(file.toFile());
            FileKeyProvider provider = Factory.Named.Util.create(config.getFileKeyProviderFactories(), format.toString());
            if (provider == null) {
                throw new HostUnreachableException("private key file " + file + " has a format we cannot read (" + format + ")");
            }
            provider.init(file.toFile());
            // parse now, once: later calls return the cached keys, safely from any thread
            provider.getPrivate();
            provider.getPublic();
            provider.getType();
            return provider;
        } catch (IOException | RuntimeException e) {
            String hint = e instanceof KeyDecryptionFailedException || describe(e).toLowerCase().contains("pass")
                    ? " (passphrase-protected keys are not supported: use an unencrypted key file)" : "";
            throw new HostUnreachableException("cannot use private key file " + file + ": " + describe(e) + hint);
        }
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
