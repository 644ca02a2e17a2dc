package io.vaultcfg.run;

import io.vaultcfg.secret.UnsealKeys;
import java.util.Optional;

/**
 * {@code --migrate-seal}: whether Shamir-sealed nodes may be migrated to the seal the play configures, and the
 * unseal keys that do it (absent in check mode, which sends nothing).
 */
public record SealMigrationOption(boolean enabled, Optional<UnsealKeys> keys) {
    public static final SealMigrationOption OFF = new SealMigrationOption(false, Optional.empty());

    /** The playbook variable the built-in playbook hands its {@code vault_status} task ({@code migrate_seal}). */
    public static final String VARIABLE = "vaultcfg_migrate_seal";

    public static SealMigrationOption with(Optional<UnsealKeys> keys) {
        return new SealMigrationOption(true, keys);
    }

    @Override
    public String toString() {
        return "SealMigrationOption[" + enabled + ", " + keys.map(UnsealKeys::toString).orElse("no keys") + "]";
    }
}
