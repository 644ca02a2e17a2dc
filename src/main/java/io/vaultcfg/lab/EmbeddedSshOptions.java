package io.vaultcfg.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to start one {@link EmbeddedSshHost}.
 *
 * @param root              the host's own directory: host key, default working directory, {@code HOST_ROOT}
 * @param port              0 picks a free port
 * @param authorizedKey     OpenSSH public key line ({@code ssh-ed25519 AAAA… comment}) accepted for login
 * @param allowedUser       only this user name may log in; null accepts any name
 * @param workingDirectory  where commands start; null means {@code root}
 * @param pathPrefix        directories put in front of {@code PATH} (e.g. a systemctl stand-in)
 * @param environment       extra environment for every command
 * @param allowTcpForwarding lets clients open direct-tcpip channels through this host (a bastion)
 */
public record EmbeddedSshOptions(
        Path root,
        int port,
        String authorizedKey,
        String allowedUser,
        Path workingDirectory,
        List<Path> pathPrefix,
        Map<String, String> environment,
        boolean allowTcpForwarding) {

    public EmbeddedSshOptions {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(authorizedKey, "authorizedKey");
        pathPrefix = List.copyOf(pathPrefix);
        environment = Map.copyOf(environment);
    }

    public static EmbeddedSshOptions of(Path root, String authorizedKeyLine) {
        return new EmbeddedSshOptions(root, 0, authorizedKeyLine.trim(), null, null, List.of(), Map.of(), true);
    }

    public static EmbeddedSshOptions of(Path root, Path authorizedKeyFile) {
        try {
            return of(root, Files.readString(authorizedKeyFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read authorized key " + authorizedKeyFile, e);
        }
    }

    public EmbeddedSshOptions withPort(int newPort) {
        return new EmbeddedSshOptions(root, newPort, authorizedKey, allowedUser, workingDirectory, pathPrefix, environment, allowTcpForwarding);
    }

    public EmbeddedSshOptions withAllowedUser(String user) {
        return new EmbeddedSshOptions(root, port, authorizedKey, user, workingDirectory, pathPrefix, environment, allowTcpForwarding);
    }

    public EmbeddedSshOptions withWorkingDirectory(Path dir) {
        return new EmbeddedSshOptions(root, port, authorizedKey, allowedUser, dir, pathPrefix, environment, allowTcpForwarding);
    }

    public EmbeddedSshOptions withPathPrefix(Path... dirs) {
        List<Path> all = new ArrayList<>(pathPrefix);
        all.addAll(List.of(dirs));
        return new EmbeddedSshOptions(root, port, authorizedKey, allowedUser, workingDirectory, all, environment, allowTcpForwarding);
    }

    public EmbeddedSshOptions withEnvironment(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        all.put(name, value);
        return new EmbeddedSshOptions(root, port, authorizedKey, allowedUser, workingDirectory, pathPrefix, all, allowTcpForwarding);
    }

    public EmbeddedSshOptions withTcpForwarding(boolean allowed) {
        return new EmbeddedSshOptions(root, port, authorizedKey, allowedUser, workingDirectory, pathPrefix, environment, allowed);
    }

    Path effectiveWorkingDirectory() {
        return workingDirectory != null ? workingDirectory : root;
    }
}
