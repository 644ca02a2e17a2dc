package io.vaultcfg.aws.emulator.http;

import java.util.concurrent.ThreadLocalRandom;

/** Realism knob: answers a configurable fraction of authenticated requests with a throttling error. */
public final class FaultInjector {
    private final double throttleRate;

    public FaultInjector(double throttleRate) {
        if (throttleRate < 0 || throttleRate > 1) {
            throw new IllegalArgumentException("throttle rate must be between 0 and 1, was " + throttleRate);
        }
        this.throttleRate = throttleRate;
    }

    public boolean throttleNow() {
        return throttleRate > 0 && ThreadLocalRandom.current().nextDouble() < throttleRate;
    }
}
