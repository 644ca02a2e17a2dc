package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/** One version of a managed policy document (plain JSON, not URL-encoded). */
public record PolicyVersion(String versionId, String document, Instant created) {
}
