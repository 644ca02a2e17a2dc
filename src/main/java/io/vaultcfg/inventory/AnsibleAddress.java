package io.vaultcfg.inventory;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a text is one host address as Ansible parses it (a host name, IPv4 or IPv6 address, each
 * possibly with {@code [x:y]} ranges, and an optional {@code :port}): such a pattern is not split on
 * its colons, and such an inventory host key {@code name:port} sets the port.
 */
final class AnsibleAddress {
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String NUM_RANGE = "\\[[0-9]+:[0-9]+(?::[0-9]+)?\\]";
    private static final String LABEL = "(?:\\w|" + ALNUM_RANGE + ")(?:[\\w-]|" + ALNUM_RANGE + ")*(?<![_-])";
    private static final Pattern HOSTNAME = Pattern.compile(LABEL + "(?:\\." + LABEL + ")*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUM_RANGE + ")";
    private static final Pattern IPV4 = Pattern.compile("(?:" + V4 + "\\.){3}" + V4);
    /** IPv6 (with hex ranges): eight groups, or a "::" somewhere, only hex digits, dots and ranges. */
    private static final Pattern IPV6_CHARS = Pattern.compile("(?:[0-9a-f:.]|\\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\\])+",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern BRACKETED_PORT = Pattern.compile("\\[(.+)\\]:([0-9]+)");
    private static final Pattern HOST_PORT = Pattern.compile("((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)");

    private AnsibleAddress() {
    }

    /** The host part and the port (or -1), or null when Ansible would not read it as an address. */
    record Parsed(String host, int port) {
    }

    static boolean isAddress(String text) {
        return parse(text) != null;
    }

    static Parsed parse(String text) {
        String host = text;
        int port = -1;
        for (Pattern withPort : new Pattern[] {BRACKETED_PORT, HOST_PORT}) {
            Matcher m = withPort.matcher(host);
            if (m.matches()) {
                host = m.group(1);
                port = m.group(2).length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(m.group(2));
            }
        }
        boolean ipv6 = IPV6_CHARS.matcher(host).matches() && (host.contains("::") || host.chars().filter(c -> c == ':').count() == 7);
        if (HOSTNAME.matcher(host).matches() || IPV4.matcher(host).matches() || ipv6) {
            return new Parsed(host, port);
        }
        return null;
    }
}
