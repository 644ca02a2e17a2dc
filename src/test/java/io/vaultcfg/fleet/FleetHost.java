package io.vaultcfg.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One real OpenSSH host: sshd on its own loopback address, in its own mount namespace where
 * /etc/vault.d, /etc/systemd/system, Vault's data dir and the systemctl stand-in's state are private
 * directories of this host, and /usr/bin/systemctl is the stand-in.
 */
public final class FleetHost {
    /** Paths inside the host that are private to it, and the directory of the host's tree backing each. */
    static final List<String[]> PRIVATE_DIRS = List.of(
            new String[] {"/etc/vault.d", "etc-vault.d"},
            new String[] {"/etc/systemd/system", "etc-systemd-system"},
            new String[] {"/opt/vault/data", "opt-vault-data"},
            new String[] {"/var/lib/systemctl-standin", "systemctl-state"});

    private final String name;
    private final String address;
    private final Path dir;
    private final Process sshd;
    private final String hostKeyLine;

    FleetHost(String name, String address, Path dir, Process sshd, String hostKeyLine) {
        this.name = name;
        this.address = address;
        this.dir = dir;
        this.sshd = sshd;
        this.hostKeyLine = hostKeyLine;
    }

    public String name() {
        return name;
    }

    public String address() {
        return address;
    }

    public int port() {
        return 22;
    }

    public String knownHostsLine() {
        return address + " " + hostKeyLine;
    }

    public long sshdPid() {
        return sshd.pid();
    }

    public boolean alive() {
        return sshd.isAlive();
    }

    /** The real file behind a path inside this host (only for the private directories). */
    public Path path(String inHost) {
        for (String[] mapping : PRIVATE_DIRS) {
            if (inHost.equals(mapping[0]) || inHost.startsWith(mapping[0] + "/")) {
                return dir.resolve(mapping[1]).resolve(inHost.substring(mapping[0].length()).replaceFirst("^/", ""));
            }
        }
        throw new IllegalArgumentException(inHost + " is not private to the host");
    }

    /** Runs a command as root inside this host's mount namespace. */
    public Shell.Result exec(String... argv) throws IOException {
        List<String> command = new ArrayList<>(List.of("nsenter", "--mount=/proc/" + sshd.pid() + "/ns/mnt", "--"));
        command.addAll(List.of(argv));
        return Shell.run(command);
    }

    /** The systemctl stand-in's call log on this host (one line per call: time, verb, unit). */
    public List<String> systemctlCalls() throws IOException {
        Path log = path("/var/lib/systemctl-standin/calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    public long restarts(String unit) throws IOException {
        return systemctlCalls().stream().filter(line -> line.endsWith(" restart " + unit + ".service")).count();
    }

    public String vaultAddress() {
        return "http://" + address + ":8200";
    }

    Path dir() {
        return dir;
    }

    void stop() {
        sshd.destroy();
        try {
            if (!sshd.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
