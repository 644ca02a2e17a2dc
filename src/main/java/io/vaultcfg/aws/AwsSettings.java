package io.vaultcfg.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and as whom vaultcfg provisions: the default credential chain unless a profile is named,
 * optionally assuming a role in a dedicated account, against AWS or an emulator endpoint.
 */
public record AwsSettings(
        String region,
        Optional<String> profile,
        Optional<java.nio.file.Path> credentialsFile,
        Optional<String> assumeRoleArn,
        Optional<URI> endpoint,
        Duration preflightTimeout) {
}
