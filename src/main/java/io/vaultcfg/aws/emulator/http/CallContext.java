package io.vaultcfg.aws.emulator.http;

import io.vaultcfg.aws.emulator.auth.Caller;

/** Who is calling and in which region (taken from the SigV4 credential scope). */
public record CallContext(Caller caller, String region) {
}
