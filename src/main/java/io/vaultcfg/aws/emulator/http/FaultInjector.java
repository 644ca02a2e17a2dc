package io.vaultcfg.aws.emulator.http;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Realism knobs: answers a configurable fraction of authenticated requests with a throttling error, and,
 * set at run time, every request signed with a given access key with a throttling or an internal error.
 */
public final class FaultInjector {
    /** What a request signed with a faulty access key is answered with. */
    public enum Fault {
        THROTTLING,
        /** A 5xx answer, as when the service fails. */
        INTERNAL_ERROR
    }

    private final double throttleRate;
    private final Map<String, Fault> byAccessKey = new ConcurrentHashMap<>();

    public FaultInjector(double throttleRate) {
        if (throttleRate < 0 || throttleRate > 1) {
            throw new IllegalArgumentException("throttle rate must be between 0 and 1, was " + throttleRate);
        }
        this.throttleRate = throttleRate;
    }

    public boolean throttleNow() {
        return throttleRate > 0 && ThreadLocalRandom.current().nextDouble() < throttleRate;
    }

    /** From now on every request signed with {@code accessKeyId} fails with {@code fault}; null clears it. */
    public void failRequestsSignedBy(String accessKeyId, Fault fault) {
        if (fault == null) {
            byAccessKey.remove(accessKeyId);
        } else {
            byAccessKey.put(accessKeyId, fault);
        }
    }

    Optional<Fault> faultFor(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(byAccessKey.get(accessKeyId));
    }
}
