package io.vaultcfg.aws;

import java.util.Collection;
import java.util.Optional;

/**
 * A fleet provisioned before the default names carried the region uses {@link DefaultSealNames#LEGACY_USER}.
 * It keeps that user (and its policy) when its hosts hold one of that user's access keys: upgrading
 * vaultcfg must not create a second user and re-key every node.
 */
public final class LegacyFleetUser {
    private LegacyFleetUser() {
    }

    /** The legacy user, when one of {@code heldAccessKeyIds} is among its keys. One ListAccessKeys call. */
    public static Optional<String> holding(AwsClients clients, Collection<String> heldAccessKeyIds) {
        if (heldAccessKeyIds.isEmpty()) {
            return Optional.empty();
        }
        try {
            boolean holds = AwsReader.call("iam:ListAccessKeys", () -> clients.iam()
                            .listAccessKeys(r -> r.userName(DefaultSealNames.LEGACY_USER))).accessKeyMetadata().stream()
                    .anyMatch(key -> heldAccessKeyIds.contains(key.accessKeyId()));
            return holds ? Optional.of(DefaultSealNames.LEGACY_USER) : Optional.empty();
        } catch (AwsReader.NotFoundFlag e) {
            return Optional.empty();
        }
    }
}
