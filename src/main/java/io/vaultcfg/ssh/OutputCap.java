package io.vaultcfg.ssh;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The output budget of one command, shared by its stdout and stderr readers. The reader that overdraws
 * it closes the command's channel at once, so the other reader ends too and nothing more is buffered.
 */
final class OutputCap {
    private final AtomicLong left;
    private final AutoCloseable channel;
    private volatile boolean exceeded;

    OutputCap(long limit, AutoCloseable channel) {
        this.left = new AtomicLong(limit);
        this.channel = channel;
    }

    void take(int bytes) throws OutputLimitException {
        if (left.addAndGet(-bytes) < 0) {
            exceeded = true;
            StreamPump.closeQuietly(channel);
            throw new OutputLimitException("output limit exceeded");
        }
    }

    boolean exceeded() {
        return exceeded;
    }
}
