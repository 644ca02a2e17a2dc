package io.vaultcfg.ssh;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads that feed stdin and drain stdout/stderr of remote commands; shared by all sessions. */
final class SshIoThreads {
    private static final AtomicInteger COUNT = new AtomicInteger();
    static final ExecutorService POOL = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "ssh-io-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        return thread;
    });

    private SshIoThreads() {
    }
}
