package io.vaultcfg.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay that makes a client's connections reach a server from a chosen loopback address. On Linux every
 * connection to 127.0.0.1 leaves from 127.0.0.1, whatever address the client listens on; OpenBao's awskms seal
 * cannot bind its source. Pointed at this relay (listening on the node's own address), the emulator sees the
 * node's address as the source, so a test can deny one node and not the others.
 */
public final class SourceAddressRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final InetAddress source;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private SourceAddressRelay(ServerSocket listener, InetAddress source, InetSocketAddress target) {
        this.listener = listener;
        this.source = source;
        this.target = target;
    }

    /** Listens on {@code address} (a free port) and connects to {@code target} from {@code address}. */
    public static SourceAddressRelay start(InetAddress address, InetSocketAddress target) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(address, 0), 64);
        SourceAddressRelay relay = new SourceAddressRelay(listener, address, target);
        Thread acceptor = new Thread(relay::acceptLoop, "relay-" + address.getHostAddress());
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    /** {@code http://<address>:<port>}, for an endpoint setting. */
    public URI endpoint() {
        return URI.create("http://" + source.getHostAddress() + ":" + listener.getLocalPort());
    }

    public InetAddress source() {
        return source;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                try {
                    upstream.bind(new InetSocketAddress(source, 0));
                    upstream.connect(target, 5_000);
                } catch (IOException e) {
                    client.close();
                    upstream.close();
                    continue;
                }
                open.add(client);
                open.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side went away: closing both ends below ends the other pump too
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void closeQuietly(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        open.forEach(this::closeQuietly);
    }
}
