package io.vaultcfg.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * known_hosts files parsed once and shared by every connection while the file is unchanged. Parsing
 * per connection would cost hosts × entries key decodings: a million for a fleet of 1,000.
 */
final class ParsedKnownHosts {
    private static final ConcurrentMap<Path, Parsed> CACHE = new ConcurrentHashMap<>();

    private record Stamp(long modifiedNanos, long size) {
    }

    private record Parsed(Stamp stamp, List<KnownHostsEntry> entries) {
    }

    private ParsedKnownHosts() {
    }

    /** The entries of {@code file} as it is now (none when it does not exist). */
    static List<KnownHostsEntry> entries(Path file) throws IOException {
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
            List<KnownHostsEntry> entries = read(key);
            CACHE.put(key, new Parsed(now, entries));
            return entries;
        }
    }

    private static List<KnownHostsEntry> read(Path file) throws IOException {
        List<String> lines;
        try {
            // not readAllLines: a stray non-UTF-8 byte in a comment must not make the whole file unreadable
            lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
        } catch (NoSuchFileException missing) {
            return List.of();
        }
        List<KnownHostsEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            KnownHostsEntry.parse(file, i + 1, lines.get(i)).ifPresent(entries::add);
        }
        return List.copyOf(entries);
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
