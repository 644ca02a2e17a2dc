package io.vaultcfg.ssh;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import net.schmizz.concurrent.Promise;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.sshj.common.DisconnectReason;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.ConnectionImpl;
import net.schmizz.sshj.transport.TransportException;

/**
 * Answered keep-alives ({@code keepalive@openssh.com}, as sshj's KeepAliveRunner) without a thread per
 * connection: sshj's keep-alive is a {@link Thread} it starts on connect, which at {@code -f 100} is a
 * hundred sleeping threads (each ~50 KB of touched stack). Here {@link #start} only schedules the
 * connection on the shared {@link SshTimer}, and each send runs on {@link SshIoThreads}, so a send that blocks on a
 * hung peer holds up no other connection's keep-alives. {@link #interrupt}, which sshj calls on
 * disconnect and on a dying transport, cancels the schedule. The Thread object is never started.
 */
final class SharedKeepAlive extends KeepAlive {
    static final KeepAliveProvider PROVIDER = new KeepAliveProvider() {
        @Override
        public KeepAlive provide(ConnectionImpl connection) {
            return new SharedKeepAlive(connection);
        }
    };

    private final Queue<Promise<SSHPacket, ConnectionException>> unanswered = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean sending = new AtomicBoolean();
    private volatile int maxUnanswered = KeepAlivePolicy.DEFAULT.maxUnanswered();
    private ScheduledFuture<?> schedule;
    private boolean stopped;

    private SharedKeepAlive(ConnectionImpl connection) {
        super(connection, "ssh-keep-alive");
    }

    void setMaxUnanswered(int count) {
        maxUnanswered = count;
    }

    int maxUnanswered() {
        return maxUnanswered;
    }

    /** Whether this connection is on the timer (started and not stopped). */
    synchronized boolean scheduled() {
        return schedule != null && !schedule.isDone();
    }

    @Override
    public synchronized void start() {
        int interval = getKeepAliveInterval();
        if (stopped || schedule != null || interval <= 0) {
            return;
        }
        schedule = SshTimer.TIMER.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.SECONDS);
    }

    @Override
    public void interrupt() {
        synchronized (this) {
            stopped = true;
            if (schedule != null) {
                schedule.cancel(false);
            }
        }
    }

    @Override
    public boolean isInterrupted() {
        synchronized (this) {
            return stopped;
        }
    }

    /** One send at a time per connection: while one is still blocked on a hung peer, the next is skipped. */
    private void tick() {
        if (!sending.compareAndSet(false, true)) {
            return;
        }
        SshIoThreads.POOL.execute(() -> {
            try {
                if (!isInterrupted() && conn.getTransport().isRunning()) {
                    doKeepAlive();
                }
            } catch (Exception e) {
                interrupt();
                conn.getTransport().die(e);
            } finally {
                sending.set(false);
            }
        });
    }

    @Override
    protected void doKeepAlive() throws TransportException, ConnectionException {
        if (!conn.equals(conn.getTransport().getService())) {
            return; // not logged in yet: the connection service is not running
        }
        while (!unanswered.isEmpty() && unanswered.peek().isFulfilled()) {
            unanswered.remove();
        }
        if (unanswered.size() >= maxUnanswered) {
            throw new ConnectionException(DisconnectReason.CONNECTION_LOST, String.format(
                    "Did not receive any keep-alive response for %s seconds", maxUnanswered * getKeepAliveInterval()));
        }
        unanswered.add(conn.sendGlobalRequest("keepalive@openssh.com", true, new byte[0]));
    }
}
