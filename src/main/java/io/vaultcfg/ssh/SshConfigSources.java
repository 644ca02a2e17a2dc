package io.vaultcfg.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * Where OpenSSH's defaults come from: the user's home ({@code ~/.ssh/config}, {@code ~/.ssh/known_hosts},
 * {@code ~} in paths), the local user name (the default login), and the system-wide known_hosts files.
 */
public record SshConfigSources(Path home, String localUser, List<Path> globalKnownHosts) {

    public SshConfigSources {
        globalKnownHosts = List.copyOf(globalKnownHosts);
    }

    /** The running user's, as OpenSSH reads them. */
    public static SshConfigSources ofUser() {
        return new SshConfigSources(Path.of(System.getProperty("user.home")), System.getProperty("user.name"),
                List.of(Path.of("/etc/ssh/ssh_known_hosts"), Path.of("/etc/ssh/ssh_known_hosts2")));
    }

    public Path userConfig() {
        return home.resolve(".ssh").resolve("config");
    }

    /** {@code ~/} expanded; a relative path stays relative (to the working directory, as ssh's {@code -F}). */
    public Path expand(String path) {
        return path.startsWith("~/") ? home.resolve(path.substring(2)) : Path.of(path);
    }
}
