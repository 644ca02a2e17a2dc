package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * A host-side hold on the service's restart, for killing the controller at a chosen node: the hosts' {@code systemctl}
 * (bound over the stand-in inside each host) waits, on a restart of the unit, while {@code hold-before} exists (the new
 * files written, the restart not yet made) or, after the restart returned, while {@code hold-after} exists; it marks
 * {@code held} while it waits. Deleting the hold lets the apply script go on, with or without its controller.
 */
final class RestartHold {
    static final String STATE = "/var/lib/systemctl-standin";
    private static final String HELD = STATE + "/kill-held";

    enum When {
        BEFORE_RESTART("kill-hold-before"),
        AFTER_RESTART("kill-hold-after");

        final String file;

        When(String file) {
            this.file = file;
        }
    }

    private final List<FleetHost> hosts;

    private RestartHold(List<FleetHost> hosts) {
        this.hosts = hosts;
    }

    /** Puts the waiting {@code systemctl} on every host of the cluster (until the cluster is closed). */
    static RestartHold install(FleetCluster cluster, String unit) throws IOException {
        List<FleetHost> hosts = new java.util.ArrayList<>();
        for (int node = 0; node < cluster.size(); node++) {
            FleetHost host = cluster.host(node);
            Path standIn = host.dir().getParent().resolve("systemctl");
            Path shim = host.dir().resolve("systemctl-restart-hold");
            Files.writeString(shim, "#!/bin/sh\n"
                    + "case \" $* \" in *' restart '*" + unit + "*) restart=1 ;; *) restart= ;; esac\n"
                    + "wait_while() {\n"
                    + "  [ -n \"$restart\" ] && [ -e " + STATE + "/$1 ] || return 0\n"
                    + "  : > " + HELD + "\n"
                    + "  while [ -e " + STATE + "/$1 ]; do sleep 0.05; done\n"
                    + "}\n"
                    + "wait_while " + When.BEFORE_RESTART.file + "\n"
                    + standIn + " \"$@\"\n"
                    + "rc=$?\n"
                    + "wait_while " + When.AFTER_RESTART.file + "\n"
                    + "exit $rc\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            Shell.Result mounted = host.exec("mount", "--bind", shim.toString(), "/usr/bin/systemctl");
            assertThat(mounted.exitCode()).as(mounted.output()).isZero();
            hosts.add(host);
        }
        return new RestartHold(List.copyOf(hosts));
    }

    /** From now on every host's next restart of the unit waits. */
    void arm(When when) throws IOException {
        for (FleetHost host : hosts) {
            Files.deleteIfExists(host.path(HELD));
            Files.writeString(host.path(STATE + "/" + when.file), "");
        }
    }

    /** The host whose restart waits now, if any. */
    Optional<FleetHost> held() {
        return hosts.stream().filter(host -> Files.exists(host.path(HELD))).findFirst();
    }

    /** Lets {@code host}'s restart go on; its later restarts no longer wait. */
    void release(FleetHost host) throws IOException {
        for (When when : When.values()) {
            Files.deleteIfExists(host.path(STATE + "/" + when.file));
        }
        Files.deleteIfExists(host.path(HELD));
    }

    void releaseAll() throws IOException {
        for (FleetHost host : hosts) {
            release(host);
        }
    }
}
