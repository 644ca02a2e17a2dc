package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/** When and where an access key was last used (GetAccessKeyLastUsed). */
public record KeyUsage(Instant date, String serviceName, String region) {
}
