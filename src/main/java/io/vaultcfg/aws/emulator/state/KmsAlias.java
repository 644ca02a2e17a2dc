package io.vaultcfg.aws.emulator.state;

import java.time.Instant;

/** An alias such as {@code alias/vault-unseal} pointing at a key id. */
public record KmsAlias(String name, String targetKeyId, Instant created, Instant updated) {
    public KmsAlias retarget(String keyId, Instant now) {
        return new KmsAlias(name, keyId, created, now);
    }
}
