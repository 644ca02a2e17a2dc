package io.vaultcfg.run;

import java.time.Duration;

/**
 * The reading that found a cluster whole again after one node's restart, handed to the gate of the node that goes
 * next: it holds every node's role, the next node's own included, and, when it was asked in the same round trip, the
 * next node's path to KMS. Only that node may use it, and only while it is as fresh as a reading of its own would be
 * by the time of its restart; else its gate reads the cluster again.
 *
 * @param next        the host whose gate it is for
 * @param takenAtNanos when the reading began ({@link System#nanoTime()} scale)
 */
record BackReading(String next, RestartGate.Reading reading, long takenAtNanos) {
    /** A few polls' worth: the next node is planned and at its gate within milliseconds of the reading's end. */
    static final Duration MAX_AGE = Duration.ofMillis(250);

    boolean servesGateOf(String host, long nowNanos) {
        return next.equals(host) && nowNanos - takenAtNanos <= MAX_AGE.toNanos();
    }
}
