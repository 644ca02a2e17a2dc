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
    private static final String ROOT = "root";

    private TemplateDirectoryTrust() {
    }

    /**
     * @param field how the user named the directory (a flag, or where it was derived from), for the error
     * @throws ConfigException naming the first directory or file another user could change
     */
    public static void requireTrusted(Path dir, String field) {
        String invokingUser = System.getProperty("user.name");
        try {
            check(dir, attributes(dir, true), "templates directory", field, invokingUser);
            List<Path> entries;
            try (Stream<Path> walk = Files.walk(dir)) {
                entries = walk.skip(1).toList();
            }
            for (Path entry : entries) {
                // A link's own mode means nothing; Freemarker refuses links leading out of the directory,
                // and a link inside leads to an entry checked here.
                PosixFileAttributes attributes = attributes(entry, false);
                if (!attributes.isSymbolicLink()) {
                    check(entry, attributes, attributes.isDirectory() ? "templates directory" : "template file", field,
                            invokingUser);
                }
            }
        } catch (UnsupportedOperationException noPosixPermissions) {
            // Not a POSIX file system: no owner and mode to judge by.
        } catch (IOException e) {
            throw new ConfigException(dir.toString(), field, "cannot read templates directory: " + e.getMessage());
        }
    }

    private static PosixFileAttributes attributes(Path path, boolean followLinks) throws IOException {
        LinkOption[] options = followLinks ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        return Files.readAttributes(path, PosixFileAttributes.class, options);
    }

    private static void check(Path path, PosixFileAttributes attributes, String what, String field, String invokingUser) {
        Set<PosixFilePermission> mode = attributes.permissions();
        String owner = attributes.owner().getName();
        String state = "(owner " + owner + ", mode " + PosixFilePermissions.toString(mode) + ")";
        String consequence = ": whoever can change it decides what vaultcfg installs on the hosts";
        if (mode.contains(PosixFilePermission.OTHERS_WRITE) || mode.contains(PosixFilePermission.GROUP_WRITE)) {
            String who = mode.contains(PosixFilePermission.OTHERS_WRITE) ? "world-writable" : "group-writable";
            throw new ConfigException(path.toString(), field, what + " is " + who + " " + state + consequence
                    + "; remove the write bit (chmod go-w " + path + ") or use another directory");
        }
        if (!owner.equals(invokingUser) && !owner.equals(ROOT)) {
            throw new ConfigException(path.toString(), field, what + " is owned by " + owner + ", neither you (" + invokingUser
                    + ") nor root " + state + consequence + "; use a directory you own");
        }
    }
}
