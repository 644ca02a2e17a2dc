package io.vaultcfg.fleet;

/**
 * How to build a fleet.
 *
 * @param hosts        how many hosts (up to 62,500: addresses 127.0.1.1 onwards, 250 per /24)
 * @param realVault    seed and start a real OpenBao server on every host
 * @param service      the systemd unit name (Vault's packages use "vault")
 * @param serviceUser  the service's system user and group
 * @param lightService instead of OpenBao, a unit running {@code sleep}: for fleets too large for one
 *                     OpenBao per host (the seal status then comes from a shared stand-in server)
 */
public record FleetOptions(int hosts, boolean realVault, String service, String serviceUser, boolean lightService) {
    public static FleetOptions of(int hosts) {
        return new FleetOptions(hosts, true, "vault", "vault", false);
    }

    public FleetOptions withoutVault() {
        return new FleetOptions(hosts, false, service, serviceUser, false);
    }

    public FleetOptions withLightService() {
        return new FleetOptions(hosts, false, service, serviceUser, true);
    }
}
