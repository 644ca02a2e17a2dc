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
 * @param raftCluster  the OpenBao servers form one raft cluster: each config {@code retry_join}s every other host
 * @param startService start the service on every host once the fleet is up (else the test starts it)
 */
public record FleetOptions(int hosts, boolean realVault, String service, String serviceUser, boolean lightService,
                           boolean raftCluster, boolean startService) {
    public static FleetOptions of(int hosts) {
        return new FleetOptions(hosts, true, "vault", "vault", false, false, true);
    }

    public FleetOptions withoutVault() {
        return new FleetOptions(hosts, false, service, serviceUser, false, false, startService);
    }

    public FleetOptions withLightService() {
        return new FleetOptions(hosts, false, service, serviceUser, true, false, startService);
    }

    public FleetOptions withRaftCluster() {
        return new FleetOptions(hosts, true, service, serviceUser, false, true, startService);
    }

    public FleetOptions withServiceStopped() {
        return new FleetOptions(hosts, realVault, service, serviceUser, lightService, raftCluster, false);
    }
}
