package io.vaultcfg.ssh;

import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Strict known_hosts checking for one connection, as OpenSSH reads the file (see {@link HostKeyLookup}).
 * An unknown key is refused unless trust-on-first-use is on, then it is appended (hashed when the file
 * already holds hashed names); a changed or revoked key is always refused. The reason for a refusal is
 * kept so the connector can explain it.
 */
final class KnownHostsVerifier implements HostKeyVerifier {
    enum Refusal { UNKNOWN, CHANGED, REVOKED, UNREADABLE }

    private final Path file;
    private final List<Path> toRead;
    private final boolean acceptNew;
    private final String alias;
    private final List<KnownHostsEntry> entries;
    private volatile Refusal refusal;
    private volatile String presentedKey;
    private volatile String knownHostsName;
    private volatile String revokedBy;

    private KnownHostsVerifier(Path file, List<Path> toRead, boolean acceptNew, String alias) throws IOException {
        List<KnownHostsEntry> all = new ArrayList<>();
        for (Path read : toRead) {
            all.addAll(ParsedKnownHosts.entries(read));
        }
        this.entries = List.copyOf(all);
        this.file = file;
        this.toRead = List.copyOf(toRead);
        this.acceptNew = acceptNew;
        this.alias = alias;
    }

    /** A verifier for one connection; the file's entries are parsed once per run and shared. */
    static KnownHostsVerifier load(Path file, boolean acceptNew) throws IOException {
        return new KnownHostsVerifier(file, List.of(file), acceptNew, null);
    }

    /**
     * @param file   where a key accepted on first use is recorded
     * @param toRead every file looked in, as OpenSSH's UserKnownHostsFile and GlobalKnownHostsFile
     * @param alias  HostKeyAlias: the name looked up instead of {@code host} or {@code [host]:port}; null for none
     */
    static KnownHostsVerifier load(Path file, List<Path> toRead, boolean acceptNew, String alias) throws IOException {
        return new KnownHostsVerifier(file, toRead, acceptNew, alias);
    }

    static String knownHostsName(String hostname, int port) {
        String lower = hostname.toLowerCase(Locale.ROOT);
        return port == 22 ? lower : "[" + lower + "]:" + port;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
        String name = alias != null ? alias.toLowerCase(Locale.ROOT) : knownHostsName(hostname, port);
        knownHostsName = name;
        presentedKey = HostKeyFingerprint.describe(key);
        if (HostNames.problem(hostname) != null) {
            // never written to known_hosts nor matched: the connector refuses such names before connecting
            refusal = Refusal.UNKNOWN;
            return false;
        }
        HostKeyLookup.Verdict verdict = HostKeyLookup.check(entries, name, key);
        return switch (verdict.status()) {
            case KNOWN -> true;
            case REVOKED -> refuse(Refusal.REVOKED, verdict);
            case CHANGED -> refuse(Refusal.CHANGED, verdict);
            case UNKNOWN -> acceptNew ? addOnFirstUse(name, key) : refuse(Refusal.UNKNOWN, verdict);
        };
    }

    private boolean refuse(Refusal why, HostKeyLookup.Verdict verdict) {
        if (verdict.revokedBy() != null) {
            revokedBy = verdict.revokedBy().location();
        }
        refusal = why;
        return false;
    }

    private boolean addOnFirstUse(String name, PublicKey key) {
        synchronized (KnownHostsFile.lockFor(file)) {
            try {
                // another connection (or process) may have added this host since we read the file
                List<KnownHostsEntry> current = ParsedKnownHosts.entries(file);
                List<KnownHostsEntry> everywhere = new ArrayList<>();
                for (Path read : toRead) {
                    everywhere.addAll(read.equals(file) ? current : ParsedKnownHosts.entries(read));
                }
                if (!toRead.contains(file)) {
                    everywhere.addAll(current);
                }
                HostKeyLookup.Verdict verdict = HostKeyLookup.check(everywhere, name, key);
                switch (verdict.status()) {
                    case KNOWN:
                        return true;
                    case REVOKED:
                        return refuse(Refusal.REVOKED, verdict);
                    case CHANGED:
                        return refuse(Refusal.CHANGED, verdict);
                    default:
                        break;
                }
                boolean hashed = current.stream().anyMatch(entry -> entry.hosts().hashed());
                String hostField = hashed ? KnownHostsPatterns.hash(name) : name;
                KnownHostsFile.append(file, hostField + " " + HostKeyFingerprint.knownHostsKeyField(HostKeyLookup.plainKey(key)));
                return true;
            } catch (IOException e) {
                refusal = Refusal.UNREADABLE;
                return false;
            }
        }
    }

    /** Orders the host key algorithms sshj asks for so that a key known_hosts holds is offered first. */
    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
        String name = alias != null ? alias.toLowerCase(Locale.ROOT) : knownHostsName(hostname, port);
        Set<String> algorithms = new LinkedHashSet<>();
        for (KnownHostsEntry entry : entries) {
            if (entry.marker() == KnownHostsEntry.Marker.REVOKED || !entry.hosts().matches(name)) {
                continue;
            }
            if (entry.marker() == KnownHostsEntry.Marker.CERT_AUTHORITY) {
                for (KeyType candidate : KeyType.values()) {
                    if (candidate.getParent() != null) {
                        algorithms.add(candidate.toString());
                    }
                }
            } else {
                algorithms.add(entry.keyType());
            }
        }
        return new ArrayList<>(algorithms);
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

    /** {@code file:line} of the {@code @revoked} line that refused the key. */
    String revokedBy() {
        return revokedBy;
    }

    Path file() {
        return file;
    }
}
