package io.vaultcfg.fleet;

/**
 * How to build a fleet.
 *
 * @param hosts      how many hosts
 * @param realVault  seed and start a real OpenBao server on every host (false: SSH hosts only)
 * @param service    the systemd unit name (Vault's packages use "vault")
 * @param serviceUser the service's system user and group
 */
public record FleetOptions(int hosts, boolean realVault, String service, String serviceUser) {
    public static FleetOptions of(int hosts) {
        return new FleetOptions(hosts, true, "vault", "vault");
    }

    public FleetOptions withoutVault() {
        return new FleetOptions(hosts, false, service, serviceUser);
    }
}
