package io.vaultcfg.ssh;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the whole SSH handshake (server banner, key exchange, authentication) by the connect timeout.
 * sshj's own timeouts do not cover waiting for the banner, and a socket read timeout would also kill
 * idle connections later, so a timer cuts the transport instead.
 */
final class HandshakeWatchdog implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ssh-handshake-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final ScheduledFuture<?> alarm;
    private volatile boolean fired;

    private HandshakeWatchdog(Duration limit, Runnable cutTransport) {
        this.alarm = TIMER.schedule(() -> {
            fired = true;
            cutTransport.run();
        }, Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
    }

    static HandshakeWatchdog start(Duration limit, Runnable cutTransport) {
        return new HandshakeWatchdog(limit, cutTransport);
    }

    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        alarm.cancel(false);
    }
}
