package io.vaultcfg.testing;

import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Wraps a connector, records the deadline the engine gives each command, and runs the command with at
 * most {@code cap} instead, so a test sees a hung host cut off in seconds rather than minutes.
 */
public final class ShortDeadlineConnector implements SshConnector {
    private final SshConnector delegate;
    private final Duration cap;
    private final Map<String, List<Duration>> asked = new ConcurrentHashMap<>();

    public ShortDeadlineConnector(SshConnector delegate, Duration cap) {
        this.delegate = delegate;
        this.cap = cap;
    }

    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        RemoteSession session = delegate.connect(target);
        return new RemoteSession() {
            @Override
            public ExecResult exec(String command, byte[] stdin, Duration deadline) throws IOException {
                asked.computeIfAbsent(target.name(), k -> new CopyOnWriteArrayList<>()).add(deadline);
                return session.exec(command, stdin, deadline.compareTo(cap) < 0 ? deadline : cap);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    /** The deadlines the engine asked for on {@code host}, in order. */
    public List<Duration> deadlinesAsked(String host) {
        return List.copyOf(asked.getOrDefault(host, List.of()));
    }
}
