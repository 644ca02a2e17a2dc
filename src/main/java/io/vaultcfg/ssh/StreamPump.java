package io.vaultcfg.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.Callable;

/** Whole-stream copies run on {@link SshIoThreads}, so stdin, stdout and stderr move at the same time. */
final class StreamPump {
    private static final int BUFFER = 32 * 1024;

    private StreamPump() {
    }

    /** Reads {@code in} to its end, drawing every chunk from {@code cap} before keeping it. */
    static Callable<byte[]> readAll(InputStream in, OutputCap cap) {
        return () -> {
            ByteArrayOutputStream collected = new ByteArrayOutputStream();
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                cap.take(n);
                collected.write(buffer, 0, n);
            }
            return collected.toByteArray();
        };
    }

    /** Writes {@code data} and closes {@code out}, which sends EOF to the remote command. */
    static Callable<Void> writeAllAndClose(byte[] data, OutputStream out) {
        return () -> {
            try (out) {
                for (int offset = 0; offset < data.length; offset += BUFFER) {
                    out.write(data, offset, Math.min(BUFFER, data.length - offset));
                }
                out.flush();
            }
            return null;
        };
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing is best effort: the connection may already be gone
        }
    }

    static IOException asIo(Throwable failure) {
        return failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
    }
}
