package io.vaultcfg.config;

/**
 * One hop of a ProxyJump-style value, {@code [user@]host[:port]} or {@code [user@][host]:port}, split as
 * OpenSSH splits it; what each reader then demands of the parts (names, defaults) is its own.
 *
 * @param user null when not given
 * @param port 0 when not given
 */
public record JumpHostSpec(String user, String host, int port) {
    public static final String FORMAT = "expected jump hosts as [user@]host[:port][,[user@]host[:port]...]";

    public static JumpHostSpec parse(String text, String location, String field) {
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
        if (host.isEmpty()) {
            throw new ConfigException(location, field, FORMAT);
        }
        return new JumpHostSpec(user, host, port);
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
