package io.vaultcfg.run;

import io.vaultcfg.inventory.ConnectionVars;
import io.vaultcfg.inventory.SshOption;
import io.vaultcfg.ssh.ConnectOptions;
import io.vaultcfg.ssh.SshConfigFile;
import io.vaultcfg.ssh.SshConfigLine;
import io.vaultcfg.ssh.SshConfigResolver;
import io.vaultcfg.ssh.SshConfigSources;
import io.vaultcfg.ssh.SshHostSettings;
import io.vaultcfg.ssh.SshTarget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a host's connection variables into the {@link SshTarget} to connect to, as Ansible and OpenSSH
 * would: the inventory's options first, then the ssh config file ({@code -F} / {@code vaultcfg_ssh_config_file},
 * else {@code ~/.ssh/config}; {@code none} for no file), matched against {@code ansible_host} or the
 * inventory name. Each config file is read once per run.
 */
final class SshConnectionSettings {
    private final SshConfigSources sources;
    private final SshConfigResolver resolver;
    private final Map<Path, SshConfigFile> files = new HashMap<>();

    SshConnectionSettings(SshConfigSources sources) {
        this.sources = sources;
        this.resolver = new SshConfigResolver(sources);
    }

    SshTarget target(String name, ConnectionVars connection, boolean acceptNewHostKeys, Duration connectTimeout) {
        List<SshConfigLine> commandLine = connection.sshOptions().stream()
                .map(option -> SshConfigLine.commandLine(option.keyword(), option.args(), option.location(), option.field()))
                .toList();
        SshHostSettings settings = resolver.resolve(connection.address(), commandLine, configFile(connection.sshConfigFile()),
                acceptNewHostKeys);
        return new SshTarget(name, settings.hostName(), settings.port(), settings.user(), Optional.empty(), settings.jumps(),
                settings.knownHosts(), settings.acceptNewHostKey(), settings.connectTimeout().orElse(connectTimeout),
                new ConnectOptions(settings.identityFiles(), settings.identitiesOnly(), settings.knownHostsToRead(),
                        settings.hostKeyAlias(), settings.keepAlive(), settings.certificateFiles(), settings.proxyCommand()));
    }

    private SshConfigFile configFile(Optional<SshOption> named) {
        if (named.isPresent() && named.get().args().get(0).equalsIgnoreCase("none")) {
            return SshConfigFile.empty();
        }
        Path file = named.map(option -> sources.expand(option.args().get(0))).orElse(sources.userConfig());
        String where = named.map(SshOption::location).orElse(file.toString());
        return files.computeIfAbsent(file.toAbsolutePath().normalize(),
                absolute -> SshConfigFile.read(file, named.isPresent(), sources.home(), where));
    }
}
