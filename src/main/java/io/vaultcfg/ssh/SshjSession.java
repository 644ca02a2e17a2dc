package io.vaultcfg.ssh;

import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.SSHException;
import net.schmizz.sshj.connection.channel.ChannelInputStream;
import net.schmizz.sshj.connection.channel.direct.Session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One authenticated sshj connection (possibly tunnelled through a bastion), reused for every command.
 * Each {@link #exec} opens a fresh session channel. Neither commands nor their input appear in any
 * exception message: only the host name does.
 */
public final class SshjSession implements RemoteSession {
    /** Remote command killed by a signal: the same code OpenSSH's ssh client returns. */
    public static final int KILLED_BY_SIGNAL = 255;
    private static final int INLINE_INPUT = 64 * 1024;

    private final String hostName;
    private final SSHClient client;
    private final SSHClient bastion;
    private final String algorithms;
    private final AtomicBoolean closed = new AtomicBoolean();

    SshjSession(String hostName, SSHClient client, SSHClient bastion, String algorithms) {
        this.hostName = hostName;
        this.client = client;
        this.bastion = bastion;
        this.algorithms = algorithms;
    }

    /** What the connection negotiated, e.g. {@code kex=curve25519-sha256 hostkey=ssh-ed25519 cipher=aes128-gcm@openssh.com mac=implicit}. */
    public String algorithms() {
        return algorithms;
    }

    /**
     * Gives up after {@code timeout}, closing the command's channel and throwing {@link CommandTimeoutException};
     * the connection stays usable. Output past {@link #MAX_OUTPUT_BYTES} closes the channel too and throws
     * {@link OutputLimitException}.
     */
    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws IOException {
        Objects.requireNonNull(timeout, "timeout");
        if (closed.get()) {
            throw new IOException("the connection to " + hostName + " is closed");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Session session;
        try {
            session = client.startSession();
        } catch (IOException e) {
            throw new IOException("cannot open a session on " + hostName + ": " + e.getMessage(), e);
        }
        OutputCap cap = new OutputCap(MAX_OUTPUT_BYTES, session);
        Future<Void> input = null;
        try {
            Session.Command running = session.exec(command);
            Future<byte[]> stderr = SshIoThreads.POOL.submit(StreamPump.readAll(running.getErrorStream(), cap));
            input = stdin == null || stdin.length == 0
                    ? closeNow(running)
                    : stdin.length <= INLINE_INPUT
                    ? writeNow(stdin, running)
                    : SshIoThreads.POOL.submit(StreamPump.writeAllAndClose(stdin, running.getOutputStream()));
            byte[] out = readStdout(running, cap, deadline, timeout);
            byte[] err = await(stderr, deadline, timeout);
            if (cap.exceeded()) {
                throw tooMuchOutput();
            }
            finishInput(input, running, deadline, timeout);
            try {
                running.join(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (IOException e) {
                if (System.nanoTime() - deadline >= 0) {
                    throw timedOut(timeout);
                }
                throw e;
            }
            Integer exit = running.getExitStatus();
            if (exit == null && running.getExitSignal() == null) {
                throw new IOException("the connection to " + hostName + " ended before the command reported its exit status");
            }
            StreamPump.closeQuietly(session);
            return new ExecResult(exit != null ? exit : KILLED_BY_SIGNAL,
                    new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            abandon(session, input);
            if (cap.exceeded() && !(e instanceof OutputLimitException)) {
                throw tooMuchOutput();
            }
            throw e;
        }
    }

    /**
     * Stops a command that is being given up on without waiting for it: a writer blocked on a window that
     * will never open holds a lock sshj needs to close the channel, and a hung host may never confirm
     * the close. The caller must not wait for either, or a hung host would hold the run past its deadline.
     */
    private static void abandon(Session session, Future<Void> input) {
        if (input != null) {
            input.cancel(true);
        }
        SshIoThreads.POOL.execute(() -> StreamPump.closeQuietly(session));
    }

    private CommandTimeoutException timedOut(Duration timeout) {
        return new CommandTimeoutException("command on " + hostName + " did not finish within " + ConnectFailures.seconds(timeout));
    }

    private OutputLimitException tooMuchOutput() {
        return new OutputLimitException(hostName + " sent more than " + (MAX_OUTPUT_BYTES >> 20)
                + " MiB of output for one command; it was stopped");
    }

    /**
     * Input this small fits in the remote's initial channel window (OpenSSH opens sessions with 2 MB),
     * so writing it cannot block: no extra thread per command (a fleet runs hundreds at once).
     */
    private static Future<Void> writeNow(byte[] stdin, Session.Command running) {
        try {
            StreamPump.writeAllAndClose(stdin, running.getOutputStream()).call();
            return CompletableFuture.completedFuture(null);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static Future<Void> closeNow(Session.Command running) {
        StreamPump.closeQuietly(running.getOutputStream());
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Stdout is read on the calling thread (the host's worker, which would only wait otherwise): one pump
     * thread per running command instead of two. At the deadline the timer fails the stream, which wakes
     * the read at once, whether or not a hung host ever confirms the channel's close.
     */
    private byte[] readStdout(Session.Command running, OutputCap cap, long deadline, Duration timeout) throws IOException {
        ChannelInputStream stdout = (ChannelInputStream) running.getInputStream();
        AtomicBoolean late = new AtomicBoolean();
        ScheduledFuture<?> alarm = SshTimer.TIMER.schedule(() -> {
            late.set(true);
            SshIoThreads.POOL.execute(() -> stdout.notifyError(new SSHException("the command's deadline passed")));
        }, remainingMillis(deadline), TimeUnit.MILLISECONDS);
        try {
            return StreamPump.readAll(stdout, cap).call();
        } catch (OutputLimitException e) {
            throw tooMuchOutput();
        } catch (Exception e) {
            if (late.get()) {
                throw timedOut(timeout);
            }
            throw new IOException("reading command output from " + hostName + " failed: " + e.getMessage(), e);
        } finally {
            alarm.cancel(false);
        }
    }

    private byte[] await(Future<byte[]> stream, long deadline, Duration timeout) throws IOException {
        try {
            return stream.get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw timedOut(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a command on " + hostName, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OutputLimitException) {
                throw tooMuchOutput();
            }
            throw new IOException("reading command output from " + hostName + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Waits until all input is written. A command may exit without reading all of it; once its exit is
     * known the rest is moot, and the writer must be stopped: blocked on a window that will never open
     * again, it holds a lock sshj's reader thread needs to process the channel close.
     */
    private void finishInput(Future<Void> input, Session.Command running, long deadline, Duration timeout)
            throws IOException {
        while (true) {
            try {
                input.get(Math.min(20, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException stillWriting) {
                if (running.getExitStatus() != null || running.getExitSignal() != null) {
                    input.cancel(true);
                    return;
                }
                if (remainingMillis(deadline) <= 1) {
                    throw timedOut(timeout);
                }
            } catch (ExecutionException e) {
                if (running.getExitStatus() == null && running.getExitSignal() == null && running.isOpen()) {
                    throw new IOException("sending input to a command on " + hostName + " failed", e.getCause());
                }
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                input.cancel(true);
                throw new IOException("interrupted while sending input to " + hostName, e);
            }
        }
    }

    private static long remainingMillis(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    /** sshj's keep-alive sender of this connection (tests check how it was set up). */
    net.schmizz.keepalive.KeepAlive keepAlive() {
        return client.getConnection().getKeepAlive();
    }

    public boolean isOpen() {
        return !closed.get() && client.isConnected() && client.isAuthenticated();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        StreamPump.closeQuietly(client);
        if (bastion != null) {
            StreamPump.closeQuietly(bastion);
        }
    }
}
