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
import java.util.function.IntPredicate;

/**
 * Wraps a connector and loses the connection on chosen remote commands of every host, counted per host
 * from 1 (in a run with a controller task: 1 reads the facts, 2 applies the changes, 3 reads again).
 */
public final class FaultyConnector implements SshConnector {
    private final SshConnector delegate;
    private final IntPredicate lost;
    private final Map<String, AtomicInteger> execs = new ConcurrentHashMap<>();

    public FaultyConnector(SshConnector delegate, IntPredicate lost) {
        this.delegate = delegate;
        this.lost = lost;
    }

    @Override
    public RemoteSession connect(SshTarget target) throws HostUnreachableException {
        RemoteSession session = delegate.connect(target);
        return new RemoteSession() {
            @Override
            public ExecResult exec(String command, byte[] stdin, java.time.Duration deadline) throws IOException {
                int number = execs.computeIfAbsent(target.name(), k -> new AtomicInteger()).incrementAndGet();
                if (lost.test(number)) {
                    throw new IOException("connection reset (injected on command " + number + ")");
                }
                return session.exec(command, stdin, deadline);
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }
}
