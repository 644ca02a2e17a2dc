package io.vaultcfg.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to reach one host, once the command-line options (the inventory's) and the ssh config file are
 * combined as OpenSSH combines them: for each option the first value found wins, command line first;
 * {@code IdentityFile} accumulates.
 *
 * @param hostName         what to connect to: {@code HostName}, else the name the host was looked up by
 * @param identityFiles    key files in the order given; empty means OpenSSH's default files
 * @param knownHosts       where a key accepted on first use is recorded (the first UserKnownHostsFile)
 * @param knownHostsToRead every UserKnownHostsFile, then every GlobalKnownHostsFile
 * @param connectTimeout   {@code ConnectTimeout}, when given
 * @param keepAlive        {@code ServerAliveInterval}/{@code ServerAliveCountMax}, when given
 * @param certificateFiles {@code CertificateFile}s in the order given
 * @param proxyCommand     {@code ProxyCommand}, expanded, when it (not ProxyJump) was given first and is not {@code none}
 */
public record SshHostSettings(String hostName, int port, String user, List<Path> identityFiles, boolean identitiesOnly,
                              List<JumpHost> jumps, Path knownHosts, List<Path> knownHostsToRead, boolean acceptNewHostKey,
                              Optional<String> hostKeyAlias, Optional<Duration> connectTimeout,
                              Optional<KeepAlivePolicy> keepAlive, List<Path> certificateFiles,
                              Optional<ProxyCommand> proxyCommand) {

    public SshHostSettings {
        identityFiles = List.copyOf(identityFiles);
        jumps = List.copyOf(jumps);
        knownHostsToRead = List.copyOf(knownHostsToRead);
        certificateFiles = List.copyOf(certificateFiles);
    }
}
