package io.vaultcfg.ssh;

import javax.net.SocketFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Hands sshj a {@link ProxyCommandSocket} instead of a TCP socket: one factory per connection attempt,
 * which keeps the socket it started so a failure can say what became of the command.
 */
final class ProxyCommandSocketFactory extends SocketFactory {
    private final ProxyCommand proxy;
    private final int port;
    private volatile ProxyCommandSocket started;

    /** {@code port}: the SSH port the command reaches, which sshj looks the host key up with. */
    ProxyCommandSocketFactory(ProxyCommand proxy, int port) {
        this.proxy = proxy;
        this.port = port;
    }

    ProxyCommand proxy() {
        return proxy;
    }

    /** The command started for this connection, or null when it could not be started. */
    ProxyCommandSocket started() {
        return started;
    }

    @Override
    public Socket createSocket() throws IOException {
        ProxyCommandSocket socket = ProxyCommandSocket.start(proxy, port);
        started = socket;
        return socket;
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return createSocket();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return createSocket();
    }
}
