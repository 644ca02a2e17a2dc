package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/** Console access for a user. The password itself is never stored: the emulator has no console. */
public record LoginProfile(Instant created, boolean passwordResetRequired) {
}
