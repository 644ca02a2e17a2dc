package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/**
 * An alias such as {@code alias/vault-unseal} pointing at a key id. Like the key it names, an alias belongs to one
 * region: the same name in two regions is two aliases.
 */
public record KmsAlias(String region, String name, String targetKeyId, Instant created, Instant updated) {
    public KmsAlias retarget(String keyId, Instant now) {
        return new KmsAlias(region, name, keyId, created, now);
    }
}
