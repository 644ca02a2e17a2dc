package io.vaultcfg.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The "socket" sshj talks SSH over when a host is reached through a {@code ProxyCommand}: the command,
 * started as OpenSSH starts it ({@code $SHELL -c "exec COMMAND"}, {@code /bin/sh} when SHELL is unset),
 * and its standard input and output. It is connected once created, so sshj never dials anything.
 *
 * <p>Closing it (the connection closes, or the handshake watchdog cuts it) stops the command, its
 * children too, with SIGTERM, then SIGKILL a second later. sshj reads from a pipe this class fills from
 * the command's output, not from the command's output itself: closing that pipe wakes a blocked reader
 * at once, even when a child the command left behind keeps the command's output open.
 */
final class ProxyCommandSocket extends Socket {
    /** The controller's secrets, which a proxy has no business seeing in its environment. */
    private static final String SECRET_VARIABLES_PREFIX = "VAULTCFG_VAR_";
    private static final java.util.List<String> SECRET_VARIABLES = java.util.List.of(
            KeyPassphrases.ENVIRONMENT_VARIABLE, "VAULTCFG_EMULATOR_ADMIN_SECRET");
    private static final long KILL_GRACE_MILLIS = 1000;
    /** How long the last of an exited command's stderr may take to be read (longer only if a child keeps it open). */
    private static final long STDERR_AFTER_EXIT_MILLIS = 500;

    private final ProxyCommand proxy;
    private final int port;
    private final Process process;
    private final Pipe.SourceChannel fromProxy;
    private final InputStream input;
    private final OutputStream output;
    private final StderrTail stderr = new StderrTail();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ProxyCommandSocket(ProxyCommand proxy, int port, Process process, Pipe pipe) throws IOException {
        super((SocketImpl) null);
        this.proxy = proxy;
        this.port = port;
        this.process = process;
        this.fromProxy = pipe.source();
        this.input = Channels.newInputStream(fromProxy);
        this.output = new FlushingOutput(process.getOutputStream());
        SshIoThreads.POOL.execute(() -> copyOutput(process.getInputStream(), pipe.sink()));
        SshIoThreads.POOL.execute(() -> stderr.drain(process.getErrorStream()));
    }

    /**
     * Starts the command; an IOException when it cannot be started (no shell, fork failed).
     * {@code port} is the SSH port the command reaches: the host key is looked up as {@code [host]:port}.
     */
    static ProxyCommandSocket start(ProxyCommand proxy, int port) throws IOException {
        String shell = Optional.ofNullable(System.getenv("SHELL")).filter(s -> !s.isBlank()).orElse("/bin/sh");
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "exec " + proxy.command());
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith(SECRET_VARIABLES_PREFIX) || SECRET_VARIABLES.contains(name));
        Process process = builder.start();
        try {
            return new ProxyCommandSocket(proxy, port, process, Pipe.open());
        } catch (IOException | RuntimeException e) {
            destroy(process);
            throw e;
        }
    }

    /**
     * What became of the command, for a failed connection: its exit status if it ended (waiting up to
     * {@code waitMillis} for an exit that is under way), and the last lines it wrote to stderr.
     */
    String fate(long waitMillis) {
        boolean exited;
        try {
            exited = process.waitFor(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exited = !process.isAlive();
        }
        if (exited) {
            stderr.awaitEnd(STDERR_AFTER_EXIT_MILLIS);
        }
        String status = exited ? "exited with status " + process.exitValue() : "was still running";
        String tail = stderr.lastLines();
        return status + (tail.isEmpty() ? " (nothing on stderr)" : "; its stderr ended with: " + tail);
    }

    private void copyOutput(InputStream from, Pipe.SinkChannel to) {
        byte[] buffer = new byte[32 * 1024];
        try (to) {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    to.write(chunk);
                }
            }
        } catch (IOException ended) {
            // the command's output is gone, or this socket was closed: either way the SSH transport sees EOF
        }
    }

    @Override
    public InputStream getInputStream() {
        return input;
    }

    @Override
    public OutputStream getOutputStream() {
        return output;
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) {
        // already connected: the command's streams are the connection
    }

    @Override
    public void connect(SocketAddress endpoint) {
        // already connected
    }

    @Override
    public void setSoTimeout(int timeout) {
        // the command's pipes have no read timeout; HandshakeWatchdog and the command deadlines bound every wait
    }

    @Override
    public int getSoTimeout() {
        return 0;
    }

    @Override
    public void setTcpNoDelay(boolean on) {
        // not TCP
    }

    @Override
    public InetAddress getInetAddress() {
        return null;
    }

    @Override
    public InetAddress getLocalAddress() {
        return InetAddress.getLoopbackAddress();
    }

    @Override
    public int getPort() {
        return port;
    }

    @Override
    public int getLocalPort() {
        return -1;
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return null;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        StreamPump.closeQuietly(fromProxy);
        StreamPump.closeQuietly(output);
        destroy(process);
    }

    @Override
    public String toString() {
        return "ProxyCommand from " + proxy.origin();
    }

    /** SIGTERM to the command and its children (OpenSSH sends SIGHUP), SIGKILL to whatever is left a second later. */
    private static void destroy(Process process) {
        java.util.List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        CompletableFuture.delayedExecutor(KILL_GRACE_MILLIS, TimeUnit.MILLISECONDS).execute(() ->
                tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly));
    }

    /** sshj writes whole packets; each goes to the command at once. */
    private static final class FlushingOutput extends OutputStream {
        private final OutputStream out;

        FlushingOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            out.flush();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            out.flush();
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
