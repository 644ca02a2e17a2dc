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
 * files written, the restart not yet made) or, after the restart returned, while {@code hold-after} exists, and on a
 * stop of the unit while {@code hold-before-stop} exists; it marks {@code held} while it waits. Deleting the hold lets
 * the apply script (or the seal migration's stop) go on, with or without its controller.
 */
final class RestartHold {
    static final String STATE = "/var/lib/systemctl-standin";
    private static final String HELD = STATE + "/kill-held";

    enum When {
        BEFORE_RESTART("kill-hold-before", "restart"),
        AFTER_RESTART("kill-hold-after", "restart"),
        /** Before the unit is stopped (a seal migration stops the active node through its service). */
        BEFORE_STOP("kill-hold-before-stop", "stop");

        final String file;
        final String verb;

        When(String file, String verb) {
            this.file = file;
            this.verb = verb;
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
                    + "case \" $* \" in *' restart '*" + unit + "*) verb=restart ;; *' stop '*" + unit + "*) verb=stop ;; "
                    + "*) verb= ;; esac\n"
                    + "wait_while() {\n"
                    + "  [ \"$verb\" = \"$1\" ] && [ -e " + STATE + "/$2 ] || return 0\n"
                    + "  : > " + HELD + "\n"
                    + "  while [ -e " + STATE + "/$2 ]; do sleep 0.05; done\n"
                    + "}\n"
                    + hold(When.BEFORE_RESTART) + hold(When.BEFORE_STOP)
                    + standIn + " \"$@\"\n"
                    + "rc=$?\n"
                    + hold(When.AFTER_RESTART)
                    + "exit $rc\n");
            Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
            Shell.Result mounted = host.exec("mount", "--bind", shim.toString(), "/usr/bin/systemctl");
            assertThat(mounted.exitCode()).as(mounted.output()).isZero();
            hosts.add(host);
        }
        return new RestartHold(List.copyOf(hosts));
    }

    private static String hold(When when) {
        return "wait_while " + when.verb + " " + when.file + "\n";
    }

    /** From now on every host's next restart of the unit waits. */
    void arm(When when) throws IOException {
        for (FleetHost host : hosts) {
            arm(when, host);
        }
    }

    /** From now on {@code host}'s next restart (or stop, as {@code when} says) of the unit waits. */
    void arm(When when, FleetHost host) throws IOException {
        Files.deleteIfExists(host.path(HELD));
        Files.writeString(host.path(STATE + "/" + when.file), "");
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
