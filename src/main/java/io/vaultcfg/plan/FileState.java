package io.vaultcfg.plan;

import java.util.Optional;

/** A path as found on the host; content is kept in memory only (it may hold a secret). */
public record FileState(FileType type, FileMode mode, String owner, String group, Optional<byte[]> content) {
    public static final FileState MISSING = new FileState(FileType.NONE, new FileMode(0), "", "", Optional.empty());

    public boolean exists() {
        return type != FileType.NONE;
    }

    public boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }

    public boolean isRegularFile() {
        return type == FileType.REGULAR;
    }
}
