package io.vaultcfg.testing;

import io.vaultcfg.ssh.ExecResult;
import io.vaultcfg.ssh.HostUnreachableException;
import io.vaultcfg.ssh.RemoteSession;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshTarget;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a connector and counts connections and remote commands (round trips) per host. */
public final class CountingConnector implements SshConnector {
    private final SshConnector delegate;
    private final Map<String, AtomicInteger> connects = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> execs = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger mostOpen = new AtomicInteger();

    public CountingConnector(SshConnector delegate) {
        this.delegate = delegate;
    }

    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        RemoteSession session = delegate.connect(target);
        connects.computeIfAbsent(target.name(), k -> new AtomicInteger()).incrementAndGet();
        mostOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        return new RemoteSession() {
            private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

            @Override
            public ExecResult exec(String command, byte[] stdin, java.time.Duration deadline) throws IOException {
                execs.computeIfAbsent(target.name(), k -> new AtomicInteger()).incrementAndGet();
                return session.exec(command, stdin, deadline);
            }

            @Override
            public void close() {
                if (closed.compareAndSet(false, true)) {
                    open.decrementAndGet();
                }
                session.close();
            }
        };
    }

    public int connects(String host) {
        return connects.getOrDefault(host, new AtomicInteger()).get();
    }

    /** The most connections that were open at the same time. */
    public int mostOpenAtOnce() {
        return mostOpen.get();
    }

    public int execs(String host) {
        return execs.getOrDefault(host, new AtomicInteger()).get();
    }
}
