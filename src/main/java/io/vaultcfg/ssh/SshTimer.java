package io.vaultcfg.ssh;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One daemon timer for the transport's periodic and deadline work (keep-alives, command deadlines), so
 * that neither costs a thread per connection or per command. Its tasks only hand work to
 * {@link SshIoThreads}: whatever may block on a hung peer never runs on the timer itself.
 */
final class SshTimer {
    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ssh-timer");
        thread.setDaemon(true);
        return thread;
    });

    private SshTimer() {
    }
}
