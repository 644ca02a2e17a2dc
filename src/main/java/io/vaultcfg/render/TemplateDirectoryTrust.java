package io.vaultcfg.render;

import io.vaultcfg.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Templates become root-owned files and unit drop-ins on every host, so whoever can write a template
 * directory decides what runs there. A directory (or a file in it) that another user could change is
 * refused, as OpenSSH refuses such an authorized_keys.
 */
public final class TemplateDirectoryTrust {
    private static final LinkOption[] FOLLOW = {};
    private static final LinkOption[] NO_FOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private TemplateDirectoryTrust() {
    }

    /**
     * @param field how the user named the directory (a flag, or where it was derived from), for the error
     * @throws ConfigException naming the first directory or file another user could change
     */
    public static void requireTrusted(Path dir, String field) {
        Owner invokingUser = Owner.invoking();
        try {
            check(dir, FOLLOW, "templates directory", field, invokingUser);
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(dir)) {
                entries = walk.skip(1).toList();
            }
            for (Path entry : entries) {
                // A link's own mode means nothing; Freemarker refuses links leading out of the directory,
                // and a link inside leads to an entry checked here.
                if (!Files.isSymbolicLink(entry)) {
                    check(entry, NO_FOLLOW, Files.isDirectory(entry, NO_FOLLOW) ? "templates directory" : "template file",
                            field, invokingUser);
                }
            }
        } catch (UnsupportedOperationException noPosixPermissions) {
            // Not a POSIX file system: no owner and mode to judge by.
        } catch (IOException e) {
            throw new ConfigException(dir.toString(), field, "cannot read templates directory: " + e.getMessage());
        }
    }

    private static void check(Path path, LinkOption[] links, String what, String field, Owner invokingUser)
            throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class, links);
        Set<PosixFilePermission> mode = attributes.permissions();
        String owner = attributes.owner().getName();
        String state = "(owner " + owner + ", mode " + PosixFilePermissions.toString(mode) + ")";
        String consequence = ": whoever can change it decides what vaultcfg installs on the hosts";
        if (mode.contains(PosixFilePermission.OTHERS_WRITE) || mode.contains(PosixFilePermission.GROUP_WRITE)) {
            String who = mode.contains(PosixFilePermission.OTHERS_WRITE) ? "world-writable" : "group-writable";
            throw new ConfigException(path.toString(), field, what + " is " + who + " " + state + consequence
                    + "; remove the write bit (chmod go-w " + path + ") or use another directory");
        }
        if (!invokingUser.owns(path, links, owner) && !Owner.ROOT.owns(path, links, owner)) {
            throw new ConfigException(path.toString(), field, what + " is owned by " + owner + ", neither you ("
                    + invokingUser.name() + ") nor root " + state + consequence + "; use a directory you own");
        }
    }

    /**
     * A user by uid where the platform tells it (a uid without a passwd entry, as in many containers, has
     * no name to compare), else by name.
     */
    private record Owner(Long uid, String name) {
        static final Owner ROOT = new Owner(0L, "root");

        static Owner invoking() {
            String name = System.getProperty("user.name");
            try {
                return new Owner(new com.sun.security.auth.module.UnixSystem().getUid(), name);
            } catch (LinkageError | RuntimeException notUnix) {
                return new Owner(null, name);
            }
        }

        boolean owns(Path path, LinkOption[] links, String ownerName) throws IOException {
            if (uid != null) {
                try {
                    return uid == ((Number) Files.getAttribute(path, "unix:uid", links)).longValue();
                } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
                    // fall back to the name
                }
            }
            return name.equals(ownerName);
        }
    }
}
