package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;

import java.util.ArrayList;
import java.util.List;

/** A ProxyJump value, {@code [user@]host[:port][,...]} followed in order; {@code none} means direct. */
final class JumpSpecs {
    private JumpSpecs() {
    }

    /** Ports not given are 0, so that the hop's own {@code Port} from the config can apply. */
    static List<JumpHost> parse(String spec, String location, String field) {
        if (spec.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<JumpHost> hops = new ArrayList<>();
        for (String hop : spec.split(",", -1)) {
            hops.add(hop(hop.trim(), location, field));
        }
        return hops;
    }

    private static JumpHost hop(String text, String location, String field) {
        String user = null;
        String hostPort = text;
        int at = text.lastIndexOf('@');
        if (at >= 0) {
            user = text.substring(0, at);
            hostPort = text.substring(at + 1);
        }
        String host = hostPort;
        int port = 0;
        if (hostPort.startsWith("[") && hostPort.contains("]")) {
            host = hostPort.substring(1, hostPort.indexOf(']'));
            String rest = hostPort.substring(hostPort.indexOf(']') + 1);
            if (rest.startsWith(":")) {
                port = port(rest.substring(1), location, field);
            }
        } else if (hostPort.indexOf(':') > 0 && hostPort.indexOf(':') == hostPort.lastIndexOf(':')) {
            host = hostPort.substring(0, hostPort.indexOf(':'));
            port = port(hostPort.substring(hostPort.indexOf(':') + 1), location, field);
        }
        if (host.isEmpty() || (user != null && user.isEmpty())) {
            throw new ConfigException(location, field, "expected jump hosts as [user@]host[:port][,[user@]host[:port]...]");
        }
        String problem = HostNames.problem(host);
        if (problem == null && user != null) {
            problem = HostNames.problem(user) == null ? null : "user name " + HostNames.problem(user);
        }
        if (problem != null) {
            throw new ConfigException(location, field, "jump host " + problem + "; refused as OpenSSH refuses it");
        }
        return new JumpHost(user, host, port);
    }

    private static int port(String text, String location, String field) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(location, field, "jump host port must be a number between 1 and 65535");
    }
}
