package io.vaultcfg.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** OpenSSH's rule: a private key file of yours that group or others may access is not used. */
final class KeyFilePermissions {
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private KeyFilePermissions() {
    }

    static void refuseUnprotected(Path file) throws HostUnreachableException {
        Set<PosixFilePermission> permissions;
        String owner;
        try {
            permissions = Files.getPosixFilePermissions(file);
            owner = Files.getOwner(file).getName();
        } catch (UnsupportedOperationException notPosix) {
            return;
        } catch (IOException e) {
            throw new HostUnreachableException("cannot read the permissions of private key file " + file + ": " + e.getMessage());
        }
        // as OpenSSH, only a file the user owns is judged: root may use a key another account owns
        if (!owner.equals(System.getProperty("user.name"))) {
            return;
        }
        Set<PosixFilePermission> open = EnumSet.noneOf(PosixFilePermission.class);
        open.addAll(permissions);
        open.retainAll(GROUP_OR_OTHER);
        if (!open.isEmpty()) {
            throw new HostUnreachableException("UNPROTECTED PRIVATE KEY FILE: " + file + " has permissions "
                    + PosixFilePermissions.toString(permissions) + ", so other users may read it; OpenSSH refuses such a key"
                    + " and so does vaultcfg (chmod 600 " + file + ")");
        }
    }
}
