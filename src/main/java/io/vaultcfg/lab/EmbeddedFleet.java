package io.vaultcfg.lab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** N embedded SSH hosts, each with its own root {@code base/host-i}, all accepting one client key. */
public final class EmbeddedFleet implements AutoCloseable {
    private final List<EmbeddedSshHost> hosts;

    private EmbeddedFleet(List<EmbeddedSshHost> hosts) {
        this.hosts = hosts;
    }

    public static EmbeddedFleet start(Path base, int count, String authorizedKeyLine) throws IOException {
        return start(base, count, authorizedKeyLine, UnaryOperator.identity());
    }

    /** {@code customize} adjusts each host's options (PATH prefix, environment, …) before it starts. */
    public static EmbeddedFleet start(Path base, int count, String authorizedKeyLine,
                                      UnaryOperator<EmbeddedSshOptions> customize) throws IOException {
        List<EmbeddedSshHost> started = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                started.add(EmbeddedSshHost.start(customize.apply(EmbeddedSshOptions.of(base.resolve("host-" + i), authorizedKeyLine))));
            }
        } catch (IOException | RuntimeException e) {
            started.forEach(EmbeddedSshHost::close);
            throw e;
        }
        return new EmbeddedFleet(started);
    }

    public List<EmbeddedSshHost> hosts() {
        return List.copyOf(hosts);
    }

    public EmbeddedSshHost host(int i) {
        return hosts.get(i);
    }

    /** known_hosts content trusting every host of the fleet. */
    public String knownHosts() {
        return hosts.stream().map(EmbeddedSshHost::knownHostsLine).collect(Collectors.joining("\n", "", "\n"));
    }

    @Override
    public void close() {
        hosts.forEach(EmbeddedSshHost::close);
    }
}
