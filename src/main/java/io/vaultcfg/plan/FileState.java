package io.vaultcfg.plan;

import java.util.Optional;

/** A path as found on the host; content is kept in memory only (it may hold a secret). */
public record FileState(boolean exists, String type, String mode, String owner, String group, Optional<byte[]> content) {
    public static final FileState MISSING = new FileState(false, "", "", "", "", Optional.empty());

    public boolean isDirectory() {
        return exists && type.equals("directory");
    }

    public boolean isRegularFile() {
        return exists && type.startsWith("regular");
    }
}
