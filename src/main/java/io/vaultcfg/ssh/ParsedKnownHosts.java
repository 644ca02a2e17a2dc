package io.vaultcfg.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * known_hosts files parsed once and shared by every connection while the file is unchanged. Parsing
 * per connection would cost hosts × entries key decodings: a million for a fleet of 1,000.
 */
final class ParsedKnownHosts {
    private static final ConcurrentMap<Path, Parsed> CACHE = new ConcurrentHashMap<>();

    private record Stamp(long modifiedNanos, long size) {
    }

    private record Parsed(Stamp stamp, List<KnownHostEntry> entries) {
    }

    private ParsedKnownHosts() {
    }

    /** The entries of {@code file} as it is now (none when it does not exist). */
    static List<KnownHostEntry> entries(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        Stamp now = stamp(key);
        Parsed cached = CACHE.get(key);
        if (cached != null && cached.stamp().equals(now)) {
            return cached.entries();
        }
        synchronized (KnownHostsFile.lockFor(key)) {
            cached = CACHE.get(key);
            if (cached != null && cached.stamp().equals(now)) {
                return cached.entries();
            }
            List<KnownHostEntry> entries = List.copyOf(new OpenSSHKnownHosts(key.toFile()).entries());
            CACHE.put(key, new Parsed(now, entries));
            return entries;
        }
    }

    private static Stamp stamp(Path file) throws IOException {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), attributes.size());
        } catch (NoSuchFileException missing) {
            return new Stamp(-1, -1);
        }
    }
}
