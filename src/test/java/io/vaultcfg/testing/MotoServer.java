package io.vaultcfg.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** moto's server (an AWS emulator written by others), started on loopback for cross-checking. */
public final class MotoServer implements AutoCloseable {
    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Optional<Path> binary() {
        return Tools.onPath("moto_server");
    }

    public static MotoServer start() throws IOException, InterruptedException {
        Path binary = binary().orElseThrow(() -> new IllegalStateException("moto_server not installed: pip install 'moto[server]'"));
        int port = freePort();
        Path log = Files.createTempFile("moto", ".log");
        Process process = new ProcessBuilder(binary.toString(), "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer server = new MotoServer(process, port);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited: " + Files.readString(log));
            }
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(server.endpoint() + "/moto-api/").toURL().openConnection();
                connection.setConnectTimeout(500);
                connection.getResponseCode();
                return server;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        server.close();
        throw new IllegalStateException("moto_server did not start in 30 s");
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Empties moto's account (its own reset endpoint), so that each scenario starts from nothing. */
    public void reset() throws IOException {
        java.net.HttpURLConnection reset = (java.net.HttpURLConnection) java.net.URI.create(endpoint() + "/moto-api/reset")
                .toURL().openConnection();
        reset.setRequestMethod("POST");
        reset.getResponseCode();
        reset.disconnect();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
