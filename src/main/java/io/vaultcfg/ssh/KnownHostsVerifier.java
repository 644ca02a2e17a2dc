package io.vaultcfg.ssh;

import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.security.PublicKey;

/**
 * Strict known_hosts checking for one connection (OpenSSH format, including {@code [host]:port} and
 * hashed entries). An unknown key is refused unless trust-on-first-use is on, then it is appended; a
 * changed key is always refused. The reason for a refusal is kept so the connector can explain it.
 */
final class KnownHostsVerifier extends OpenSSHKnownHosts {
    enum Refusal { UNKNOWN, CHANGED, UNREADABLE }

    private final Path file;
    private final boolean acceptNew;
    private volatile Refusal refusal;
    private volatile String presentedKey;
    private volatile String knownHostsName;

    private KnownHostsVerifier(Path file, boolean acceptNew) throws IOException {
        super(new StringReader(""));
        entries().addAll(ParsedKnownHosts.entries(file));
        this.file = file;
        this.acceptNew = acceptNew;
    }

    /** A verifier for one connection; the file's entries are parsed once per run and shared. */
    static KnownHostsVerifier load(Path file, boolean acceptNew) throws IOException {
        return new KnownHostsVerifier(file, acceptNew);
    }

    @Override
    protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
        remember(hostname, key);
        if (!acceptNew) {
            refusal = Refusal.UNKNOWN;
            return false;
        }
        synchronized (KnownHostsFile.lockFor(file)) {
            try {
                // another connection may have added this host since we read the file
                KnownHostsVerifier current = new KnownHostsVerifier(file, false);
                if (current.knows(hostname, key)) {
                    return true;
                }
                if (current.refusal == Refusal.CHANGED) {
                    refusal = Refusal.CHANGED;
                    return false;
                }
                KnownHostsFile.append(file, hostname + " " + HostKeyFingerprint.knownHostsKeyField(key));
                return true;
            } catch (IOException e) {
                refusal = Refusal.UNREADABLE;
                return false;
            }
        }
    }

    @Override
    protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
        remember(hostname, key);
        refusal = Refusal.CHANGED;
        return false;
    }

    private boolean knows(String knownHostsHostname, PublicKey key) throws IOException {
        KeyType type = KeyType.fromKey(key);
        boolean applicable = false;
        for (KnownHostEntry entry : entries()) {
            if (entry.appliesTo(type, knownHostsHostname)) {
                applicable = true;
                if (entry.verify(key)) {
                    return true;
                }
            }
        }
        if (applicable) {
            refusal = Refusal.CHANGED;
        }
        return false;
    }

    private void remember(String hostname, PublicKey key) {
        knownHostsName = hostname;
        presentedKey = HostKeyFingerprint.describe(key);
    }

    Refusal refusal() {
        return refusal;
    }

    /** e.g. {@code ssh-ed25519 SHA256:…} of the key the server presented, once it did. */
    String presentedKey() {
        return presentedKey;
    }

    /** The host as it is written in known_hosts, e.g. {@code [127.0.0.1]:2222}. */
    String knownHostsName() {
        return knownHostsName;
    }

    Path file() {
        return file;
    }
}
