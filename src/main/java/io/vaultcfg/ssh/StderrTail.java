package io.vaultcfg.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drains a local command's stderr, keeping only its end (the last {@value #KEEP} bytes), so a chatty
 * command can neither block on a full pipe nor fill the controller's memory.
 */
final class StderrTail {
    private static final int KEEP = 4096;
    private static final int LINES = 5;

    private final byte[] ring = new byte[KEEP];
    private final CountDownLatch ended = new CountDownLatch(1);
    private long written;

    void drain(InputStream in) {
        byte[] buffer = new byte[4096];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                append(buffer, n);
            }
        } catch (IOException gone) {
            // the command is gone
        } finally {
            ended.countDown();
        }
    }

    /** Waits up to {@code millis} for the end of the stream (a command that exited has written all it will). */
    void awaitEnd(long millis) {
        try {
            ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void append(byte[] data, int length) {
        for (int i = 0; i < length; i++) {
            ring[(int) (written++ % KEEP)] = data[i];
        }
    }

    /** The last few non-empty lines, joined with {@code " | "}; control characters replaced. */
    synchronized String lastLines() {
        int size = (int) Math.min(written, KEEP);
        byte[] kept = new byte[size];
        for (int i = 0; i < size; i++) {
            kept[i] = ring[(int) ((written - size + i) % KEEP)];
        }
        List<String> lines = new ArrayList<>();
        for (String line : new String(kept, StandardCharsets.UTF_8).split("\r?\n")) {
            String clean = line.replaceAll("\\p{Cntrl}", "?").strip();
            if (!clean.isEmpty()) {
                lines.add(clean);
            }
        }
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
    }
}
