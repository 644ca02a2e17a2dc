package io.vaultcfg.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.testing.CountedCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemctl stand-in knows its service by pid and kernel start time: once the service is gone and its
 * pid belongs to another process (a 1,000-host run wraps the pid space), that process is not the service.
 */
class SystemctlStandInTest {
    @TempDir
    Path dir;
    Path systemctl;
    Path units;
    Path state;
    final List<ProcessHandle> started = new ArrayList<>();

    @BeforeEach
    void standIn() throws IOException {
        units = Files.createDirectories(dir.resolve("units"));
        state = Files.createDirectories(dir.resolve("state"));
        Files.writeString(units.resolve("sleeper.service"), "[Service]\nExecStart=/bin/sleep 300\n");
        systemctl = dir.resolve("systemctl");
        try (InputStream script = LabHost.class.getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(systemctl, script.readAllBytes());
        }
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
    }

    @AfterEach
    void killWhatTheTestStarted() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    record Call(int exitCode, String output) {
    }

    Call systemctl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(systemctl.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SYSTEMCTL_UNIT_DIRS", units.toString());
        builder.environment().put("SYSTEMCTL_STATE_DIR", state.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("systemctl " + String.join(" ", args) + " returns").isTrue();
        return new Call(process.exitValue(), output);
    }

    /** An unrelated process leading its own process group, as the service did: what a reused pid may name. */
    ProcessHandle unrelatedGroupLeader() throws IOException {
        ProcessHandle process = new ProcessBuilder("setsid", "sleep", "300").start().toHandle();
        started.add(process);
        return process;
    }

    /** What the state dir holds once the service died and its pid went to {@code process}. */
    void recordedPidReusedBy(ProcessHandle process) throws IOException {
        String startedThen = String.valueOf(Long.parseLong(KernelStartTime.of(process.pid()).orElseThrow()) - 1000);
        Files.writeString(state.resolve("sleeper.service.pid"), process.pid() + "\n");
        Files.writeString(state.resolve("sleeper.service.pid.started"), startedThen + "\n");
    }

    ProcessHandle service() throws IOException {
        ProcessHandle service = ProcessHandle.of(Long.parseLong(Files.readString(state.resolve("sleeper.service.pid")).trim()))
                .orElseThrow();
        started.add(service);
        return service;
    }

    /**
     * A stop whose caller went away runs on (a controller killed mid-stop: sshd does not signal a session without a
     * terminal), while a new run starts the unit again. Held here (SIGSTOP) until its service died and the new start
     * recorded its own process, it must neither wait for that process nor forget it: once it ends, the unit is active
     * with the new main pid. Before, it waited 10 s on the new process and then removed its pid file, leaving a
     * server that no stop reached and that held the node's port.
     */
    @Test
    void aStopStillRunningWhenTheUnitIsStartedAgainLeavesTheNewProcessRecorded() throws Exception {
        Path yield = dir.resolve("yield");
        Files.writeString(units.resolve("sleeper.service"), "[Service]\nExecStart=/bin/sh -c 'trap \"[ -f " + yield
                + " ] && exit 0\" TERM; while :; do sleep 1; done'\n");
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        ProcessHandle first = service();

        ProcessBuilder builder = new ProcessBuilder(systemctl.toString(), "stop", "sleeper").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SYSTEMCTL_UNIT_DIRS", units.toString());
        builder.environment().put("SYSTEMCTL_STATE_DIR", state.toString());
        Process lingering = builder.start();
        Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> lingering.descendants().anyMatch(child -> child.info().command().orElse("").endsWith("sleep")
                        && child.info().arguments().map(args -> List.of(args).contains("0.1")).orElse(false)));
        assertThat(new ProcessBuilder("kill", "-STOP", String.valueOf(lingering.pid())).start().waitFor()).isZero();
        first.destroyForcibly();
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !first.isAlive());
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        ProcessHandle second = service();
        assertThat(new ProcessBuilder("kill", "-CONT", String.valueOf(lingering.pid())).start().waitFor()).isZero();

        assertThat(lingering.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.isAlive()).isTrue();
        assertThat(systemctl("is-active", "sleeper").output()).isEqualTo("active\n");
        assertThat(systemctl("show", "-p", "MainPID", "sleeper").output()).isEqualTo("MainPID=" + second.pid() + "\n");
        Files.writeString(yield, "");
        assertThat(systemctl("stop", "sleeper").exitCode()).isZero();
        Awaitility.await("stopped by the next stop").atMost(Duration.ofSeconds(20)).until(() -> !second.isAlive());
    }

    @Test
    void stopLeavesAProcessThatOnlyReusedTheServicesPidAlone() throws Exception {
        ProcessHandle unrelated = unrelatedGroupLeader();
        recordedPidReusedBy(unrelated);

        assertThat(systemctl("is-active", "sleeper")).isEqualTo(new Call(3, "inactive\n"));
        assertThat(systemctl("stop", "sleeper").exitCode()).isZero();

        Thread.sleep(300);
        assertThat(unrelated.isAlive()).as("the process that reused the pid survives stop").isTrue();
        assertThat(state.resolve("sleeper.service.pid")).doesNotExist();
    }

    @Test
    void startAndRestartOverAReusedPidStartTheServiceAndSignalOnlyIt() throws Exception {
        ProcessHandle unrelated = unrelatedGroupLeader();
        recordedPidReusedBy(unrelated);

        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        ProcessHandle first = service();
        assertThat(first.pid()).as("a new service, not the process behind the old pid").isNotEqualTo(unrelated.pid());
        assertThat(systemctl("is-active", "sleeper")).isEqualTo(new Call(0, "active\n"));

        assertThat(systemctl("restart", "sleeper").exitCode()).isZero();
        ProcessHandle second = service();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !first.isAlive());
        assertThat(second.isAlive()).isTrue();
        assertThat(unrelated.isAlive()).as("the process that reused the pid survives start and restart").isTrue();

        assertThat(systemctl("stop", "sleeper").exitCode()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !second.isAlive());
        assertThat(unrelated.isAlive()).isTrue();
    }

    @Test
    void aDropInAddedToALoadedUnitCountsInDropInPathsOnlyAfterDaemonReload() throws Exception {
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        service();
        Path dropIn = Files.createDirectories(units.resolve("sleeper.service.d")).resolve("10-extra.conf");
        Files.writeString(dropIn, "[Service]\nEnvironment=EXTRA=1\n");

        assertThat(systemctl("show", "-p", "DropInPaths", "-p", "NeedDaemonReload", "sleeper").output())
                .isEqualTo("DropInPaths=\nNeedDaemonReload=yes\n");

        assertThat(systemctl("daemon-reload").exitCode()).isZero();
        assertThat(systemctl("show", "-p", "DropInPaths", "-p", "NeedDaemonReload", "sleeper").output())
                .isEqualTo("DropInPaths=" + dropIn + "\nNeedDaemonReload=no\n");

        Files.delete(dropIn);
        assertThat(systemctl("show", "-p", "DropInPaths", "-p", "NeedDaemonReload", "sleeper").output())
                .as("a removed drop-in stays loaded until the next daemon-reload")
                .isEqualTo("DropInPaths=" + dropIn + "\nNeedDaemonReload=yes\n");
    }
    /**
     * The stand-in runs on every host of a 50-host fleet for every read (systemd answers them over D-Bus without a
     * process): the main pid, is-active and show of a unit whose files are older than its last load start nothing
     * but the call log's date; a file as new as the load or newer is compared by content (one awk pass, and the
     * snapshot).
     */
    @Test
    void readsStartOnlyTheProcessesTheirAnswerNeeds() throws Exception {
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        service();
        Path dropIn = Files.createDirectories(units.resolve("sleeper.service.d")).resolve("10-extra.conf");
        Files.writeString(dropIn, "[Service]\n");
        writtenAMinuteAgo(units.resolve("sleeper.service"), dropIn);
        assertThat(systemctl("daemon-reload").exitCode()).isZero();

        assertThat(countedSystemctl("show", "-p", "MainPID", "sleeper")).isEqualTo(Map.of("date", 1L));
        assertThat(countedSystemctl("is-active", "sleeper")).isEqualTo(Map.of("date", 1L));
        assertThat(countedSystemctl("show", "-p", "ActiveState", "-p", "MainPID", "sleeper")).isEqualTo(Map.of("date", 1L));
        assertThat(countedSystemctl("show", "-p", "FragmentPath", "-p", "DropInPaths", "-p", "NeedDaemonReload", "sleeper"))
                .isEqualTo(Map.of("date", 1L));

        Files.setLastModifiedTime(dropIn, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertThat(countedSystemctl("show", "-p", "FragmentPath", "-p", "DropInPaths", "-p", "NeedDaemonReload", "sleeper"))
                .isEqualTo(Map.of("date", 1L, "awk", 2L, "cat", 1L));
    }

    /**
     * Whether a reload is needed goes by the settings, as before: a file rewritten since the load with other
     * settings needs one, a file only touched (newer, same settings) does not, and neither does an untouched one.
     */
    @Test
    void needsAReloadWhenAFileChangedItsSettingsSinceTheLoad() throws Exception {
        Path dropIn = Files.createDirectories(units.resolve("sleeper.service.d")).resolve("10-extra.conf");
        Files.writeString(dropIn, "[Service]\nEnvironment=EXTRA=1\n");
        writtenAMinuteAgo(units.resolve("sleeper.service"), dropIn);
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        service();
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output()).isEqualTo("NeedDaemonReload=no\n");

        Files.writeString(dropIn, "[Service]\nEnvironment=EXTRA=1\n");
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output())
                .as("rewritten with the same settings").isEqualTo("NeedDaemonReload=no\n");

        Files.writeString(dropIn, "[Service]\nEnvironment=EXTRA=2\n");
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output())
                .as("rewritten with other settings").isEqualTo("NeedDaemonReload=yes\n");

        Files.writeString(units.resolve("sleeper.service"), "[Service]\nExecStart=/bin/sleep 301\n");
        Files.writeString(dropIn, "[Service]\nEnvironment=EXTRA=1\n");
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output())
                .as("the unit file rewritten, the drop-in back").isEqualTo("NeedDaemonReload=yes\n");

        assertThat(systemctl("daemon-reload").exitCode()).isZero();
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output()).isEqualTo("NeedDaemonReload=no\n");
    }

    /**
     * systemd needs a reload when a file's modification time is not the one it had at the load, older too: a unit
     * file replaced (renamed over) by an older file with other settings needs one; by an older one with the same
     * settings, none.
     */
    @Test
    void needsAReloadWhenAFileIsReplacedByAnOlderOneWithOtherSettings() throws Exception {
        Path dropIn = Files.createDirectories(units.resolve("sleeper.service.d")).resolve("10-extra.conf");
        Files.writeString(dropIn, "[Service]\nEnvironment=EXTRA=1\n");
        writtenAMinuteAgo(units.resolve("sleeper.service"), dropIn);
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        service();
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output()).isEqualTo("NeedDaemonReload=no\n");

        replacedByAnOlderFile(dropIn, "[Service]\nEnvironment=EXTRA=1\n");
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output())
                .as("replaced by an older file, same settings").isEqualTo("NeedDaemonReload=no\n");

        replacedByAnOlderFile(dropIn, "[Service]\nEnvironment=EXTRA=2\n");
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output())
                .as("replaced by an older file, other settings").isEqualTo("NeedDaemonReload=yes\n");

        assertThat(systemctl("daemon-reload").exitCode()).isZero();
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output()).isEqualTo("NeedDaemonReload=no\n");
        replacedByAnOlderFile(units.resolve("sleeper.service"), "[Service]\nExecStart=/bin/sleep 301\n");
        assertThat(systemctl("show", "-p", "NeedDaemonReload", "sleeper").output())
                .as("the unit file replaced by an older one").isEqualTo("NeedDaemonReload=yes\n");
    }

    /** {@code mv older file}: a file written elsewhere, dated before {@code file}'s time, renamed over it. */
    private static void replacedByAnOlderFile(Path file, String content) throws IOException {
        Path older = Files.writeString(file.resolveSibling(file.getFileName() + ".new"), content);
        Files.setLastModifiedTime(older, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 60_000));
        Files.move(older, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writtenAMinuteAgo(Path... files) throws IOException {
        for (Path file : files) {
            Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        }
    }

    /** show's ActiveState is what is-active says, for a running unit, a stopped one, one whose pid was reused and one that does not exist. */
    @Test
    void showsTheActiveStateIsActiveGives() throws Exception {
        assertThat(systemctl("show", "-p", "ActiveState", "--", "sleeper.service")).isEqualTo(new Call(0, "ActiveState=inactive\n"));
        assertThat(systemctl("is-active", "sleeper")).isEqualTo(new Call(3, "inactive\n"));

        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        ProcessHandle running = service();
        assertThat(systemctl("show", "-p", "ActiveState", "--", "sleeper.service")).isEqualTo(new Call(0, "ActiveState=active\n"));
        assertThat(systemctl("is-active", "sleeper")).isEqualTo(new Call(0, "active\n"));

        assertThat(systemctl("stop", "sleeper").exitCode()).isZero();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !running.isAlive());
        assertThat(systemctl("show", "-p", "ActiveState", "sleeper")).isEqualTo(new Call(0, "ActiveState=inactive\n"));

        recordedPidReusedBy(unrelatedGroupLeader());
        assertThat(systemctl("show", "-p", "ActiveState", "sleeper")).isEqualTo(new Call(0, "ActiveState=inactive\n"));
        assertThat(systemctl("is-active", "sleeper")).isEqualTo(new Call(3, "inactive\n"));

        assertThat(systemctl("show", "-p", "ActiveState", "-p", "MainPID", "--", "missing.service"))
                .isEqualTo(new Call(0, "ActiveState=inactive\nMainPID=0\n"));
        assertThat(systemctl("is-active", "missing")).isEqualTo(new Call(3, "inactive\n"));
    }

    /** Several properties at once come in the order asked, each as a call of its own would show it. */
    @Test
    void showsSeveralPropertiesInTheOrderAsked() throws Exception {
        assertThat(systemctl("start", "sleeper").exitCode()).isZero();
        String pid = String.valueOf(service().pid());

        Call all = systemctl("show", "-p", "MainPID", "-p", "FragmentPath", "-p", "ActiveState", "-p", "DropInPaths",
                "-p", "NeedDaemonReload", "--", "sleeper.service");

        assertThat(all).isEqualTo(new Call(0, "MainPID=" + pid + "\nFragmentPath=" + units.resolve("sleeper.service")
                + "\nActiveState=active\nDropInPaths=\nNeedDaemonReload=no\n"));
        assertThat(systemctl("show", "-p", "ActiveState", "-p", "MainPID", "sleeper"))
                .isEqualTo(new Call(0, "ActiveState=active\nMainPID=" + pid + "\n"));
    }

    /** What the stand-in started, by program, for one call. */
    Map<String, Long> countedSystemctl(String... args) throws IOException, InterruptedException {
        CountedCommands counted = CountedCommands.in(Files.createTempDirectory(dir, "counted"),
                "awk", "sort", "cut", "sed", "tr", "cat", "date", "mkdir", "basename", "head");
        List<String> command = new ArrayList<>(List.of("sh", systemctl.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("SYSTEMCTL_UNIT_DIRS", units.toString());
        builder.environment().put("SYSTEMCTL_STATE_DIR", state.toString());
        builder.environment().put("PATH", counted.path());
        assertThat(builder.start().waitFor()).as("systemctl " + String.join(" ", args)).isZero();
        return counted.counts();
    }
}
