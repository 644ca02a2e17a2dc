package io.vaultcfg.ssh;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What an ssh config adds to a target beyond address, user and key.
 *
 * @param identityFiles    key files offered after {@link SshTarget#privateKey()}
 * @param identitiesOnly   only the key files' keys, also of the agent's (OpenSSH's IdentitiesOnly)
 * @param knownHostsToRead every file a host key is looked up in; empty means just {@link SshTarget#knownHosts()}
 * @param hostKeyAlias     the name looked up in (and recorded in) known_hosts instead of the host's
 * @param keepAlive        ServerAliveInterval/ServerAliveCountMax; empty means the connector's
 * @param certificateFiles CertificateFile(s): user certificates offered before the key files; when
 *                         empty, a {@code KEY-cert.pub} beside each key file is offered after its key
 * @param proxyCommand     ProxyCommand: the connection runs over this command instead of TCP
 */
public record ConnectOptions(List<Path> identityFiles, boolean identitiesOnly, List<Path> knownHostsToRead,
                             Optional<String> hostKeyAlias, Optional<KeepAlivePolicy> keepAlive,
                             List<Path> certificateFiles, Optional<ProxyCommand> proxyCommand) {
    public static final ConnectOptions NONE = new ConnectOptions(List.of(), false, List.of(), Optional.empty(), Optional.empty());

    public ConnectOptions {
        identityFiles = List.copyOf(identityFiles);
        knownHostsToRead = List.copyOf(knownHostsToRead);
        certificateFiles = List.copyOf(certificateFiles);
    }

    public ConnectOptions(List<Path> identityFiles, boolean identitiesOnly, List<Path> knownHostsToRead,
                          Optional<String> hostKeyAlias, Optional<KeepAlivePolicy> keepAlive) {
        this(identityFiles, identitiesOnly, knownHostsToRead, hostKeyAlias, keepAlive, List.of(), Optional.empty());
    }
}
