package io.vaultcfg.aws.emulator.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.vaultcfg.aws.emulator.request.AwsRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The HTTP listener on 127.0.0.1: reads bounded bodies, hands requests to the {@link Dispatcher}, writes replies. */
public final class HttpFront implements AutoCloseable {
    private static final long MAX_DISCARD_BYTES = 16L * 1024 * 1024;
    private final HttpServer server;
    private final ExecutorService workers;
    private final Dispatcher dispatcher;
    private final long maxBodyBytes;

    static {
        // The JDK server writes response headers and body separately; without TCP_NODELAY each small response
        // waits for the client's delayed ACK (~40 ms). Read once by the JDK, so set it before the first server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public HttpFront(int port, int threads, long maxBodyBytes, Dispatcher dispatcher) throws IOException {
        this.dispatcher = dispatcher;
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        AtomicInteger counter = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "aws-emulator-http-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(workers);
        server.createContext("/", this::serve);
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            AwsRequest headersOnly = request(exchange, new byte[0]);
            AwsResponse response;
            long declaredLength = declaredLength(headersOnly);
            byte[] body = declaredLength > maxBodyBytes ? null : readBounded(exchange.getRequestBody());
            if (body == null) {
                // Reading the rest lets the client see the 413 instead of a connection reset; past a bound we
                // stop paying for it and close early.
                discard(exchange.getRequestBody());
                exchange.getResponseHeaders().set("Connection", "close");
                response = dispatcher.tooLarge(headersOnly, maxBodyBytes);
            } else {
                response = dispatcher.dispatch(request(exchange, body));
            }
            response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            exchange.sendResponseHeaders(response.status(), response.body().length == 0 ? -1 : response.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(response.body());
            }
        }
    }

    private static AwsRequest request(HttpExchange exchange, byte[] body) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return new AwsRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body, exchange.getRemoteAddress().getAddress());
    }

    private static long declaredLength(AwsRequest request) {
        String length = request.header("content-length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The whole body, or null when it is larger than the limit. */
    private byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int read;
        while ((read = in.read(buffer)) != -1) {
            out.write(buffer, 0, read);
            if (out.size() > maxBodyBytes) {
                return null;
            }
        }
        return out.toByteArray();
    }

    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long skipped = 0;
        int read;
        while (skipped < MAX_DISCARD_BYTES && (read = in.read(buffer)) != -1) {
            skipped += read;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        try {
            workers.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
