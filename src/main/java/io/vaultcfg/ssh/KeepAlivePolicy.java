package io.vaultcfg.ssh;

import java.time.Duration;

/**
 * SSH keep-alives ({@code keepalive@openssh.com}, as OpenSSH's ServerAliveInterval/ServerAliveCountMax):
 * a request every {@code intervalSeconds} once logged in; after {@code maxUnanswered} requests without a
 * reply the connection is dropped, so a host that vanished mid-command (power loss, a firewall that
 * forgot the flow) is noticed within about {@link #deadPeerNoticedWithin()}, not at the command's deadline.
 * They also keep idle-flow state in firewalls and NAT alive during a long step such as the unseal poll.
 */
public record KeepAlivePolicy(int intervalSeconds, int maxUnanswered) {
    public static final KeepAlivePolicy DEFAULT = new KeepAlivePolicy(15, 4);

    public KeepAlivePolicy {
        if (intervalSeconds < 1 || maxUnanswered < 1) {
            throw new IllegalArgumentException("keep-alive interval and count must be 1 or more");
        }
    }

    public Duration deadPeerNoticedWithin() {
        return Duration.ofSeconds((long) intervalSeconds * (maxUnanswered + 1));
    }
}
