package io.vaultcfg.aws.emulator.http;

import io.vaultcfg.aws.emulator.request.AwsRequest;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiPredicate;

/**
 * The answer to the first request a test names, held back after the request took effect (state changed, logged) until
 * {@link #release()}: a caller can then be killed at a chosen point with no race against a polled log. Only that one
 * answer waits, on its own worker thread; the emulator keeps serving every other request.
 */
public final class ResponseHold {
    /** How long an answer waits at most when a test never releases it, so no worker stays blocked for good. */
    static final Duration LONGEST_HOLD = Duration.ofMinutes(5);

    private final BiPredicate<RequestLogEntry, AwsRequest> which;
    private final AtomicReference<RequestLogEntry> taken = new AtomicReference<>();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    ResponseHold(BiPredicate<RequestLogEntry, AwsRequest> which) {
        this.which = which;
    }

    /** True when this request is the one to hold (only the first match is). */
    boolean takes(RequestLogEntry entry, AwsRequest request) {
        return released.getCount() > 0 && which.test(entry, request) && taken.compareAndSet(null, entry);
    }

    void holdHere() {
        held.countDown();
        try {
            released.await(LONGEST_HOLD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The held request's log entry, once its answer is held; empty when none came within {@code timeout}. */
    public Optional<RequestLogEntry> awaitHeld(Duration timeout) throws InterruptedException {
        return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(taken.get()) : Optional.empty();
    }

    /** Lets the held answer go (to a caller that may be gone); a hold that took nothing takes nothing from now on. */
    public void release() {
        released.countDown();
    }
}
