package io.vaultcfg.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** {@code lab down} stops the processes the lab started, and never one that merely got a recorded pid. */
class LabDownTest {
    @TempDir
    Path dir;
    LabLayout layout;
    Path stateDir;
    final List<ProcessHandle> started = new ArrayList<>();

    @BeforeEach
    void layout() throws IOException {
        layout = new LabLayout(dir.resolve("lab"));
        stateDir = Files.createDirectories(layout.host("lab-1").resolve("var/lib/lab"));
    }

    @AfterEach
    void killWhatTheTestStarted() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    ProcessHandle sleep() throws IOException {
        ProcessHandle process = new ProcessBuilder("sleep", "300").start().toHandle();
        started.add(process);
        return process;
    }

    void manifestFor(ProcessIdentity process) throws IOException {
        new LabManifest(process.pid(), process.started(), process.commandLine(), "http://127.0.0.1:1", List.of())
                .write(layout.manifest());
    }

    @Test
    void stalePidFilesAndAStaleManifestPointingAtAnUnrelatedProcessLeaveItAlone() throws IOException, InterruptedException {
        ProcessHandle unrelated = sleep();
        // What a crashed lab leaves behind once the pid has been reused by an unrelated process.
        Files.writeString(stateDir.resolve("vault.service.pid"), unrelated.pid() + "\n");
        Files.writeString(stateDir.resolve("vault.service.pid.started"), "4242\n");
        Files.writeString(stateDir.resolve("other.service.pid"), unrelated.pid() + "\n");
        manifestFor(new ProcessIdentity(unrelated.pid(), "2020-01-01T00:00:00Z",
                "/usr/bin/java -cp vaultcfg.jar io.vaultcfg.cli.Main lab serve --dir " + layout.dir()));

        LabProcess.Stopped stopped = LabProcess.down(layout);

        Thread.sleep(300);
        assertThat(unrelated.isAlive()).as("the unrelated process survives").isTrue();
        assertThat(stopped.wasRunning()).isFalse();
        assertThat(stopped.leftAlone()).hasSize(3).allSatisfy(note -> assertThat(note).startsWith("left pid " + unrelated.pid()))
                .anySatisfy(note -> assertThat(note).contains("lab.json"))
                .anySatisfy(note -> assertThat(note).contains("vault.service.pid"))
                .anySatisfy(note -> assertThat(note).contains("other.service.pid"));
        assertThat(layout.dir()).doesNotExist();
    }

    @Test
    void theLabsOwnProcessIsStopped() throws IOException, InterruptedException {
        ProcessHandle lab = sleep();
        manifestFor(ProcessIdentity.of(lab));

        LabProcess.Stopped stopped = LabProcess.down(layout);

        assertThat(stopped.wasRunning()).isTrue();
        assertThat(stopped.leftAlone()).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !lab.isAlive());
    }

    @Test
    void aServiceTheSystemctlStandInStartedIsKilled() throws IOException, InterruptedException {
        Path units = Files.createDirectories(layout.host("lab-1").resolve("etc/systemd/system"));
        Files.writeString(units.resolve("sleeper.service"), "[Service]\nExecStart=/bin/sleep 300\n");
        Path systemctl = layout.host("lab-1").resolve("systemctl");
        try (InputStream script = LabHost.class.getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(systemctl, script.readAllBytes());
        }
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwx------"));
        ProcessBuilder start = new ProcessBuilder(systemctl.toString(), "start", "sleeper").inheritIO();
        start.environment().putAll(Map.of("SYSTEMCTL_UNIT_DIRS", units.toString(), "SYSTEMCTL_STATE_DIR", stateDir.toString()));
        Process run = start.start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS) && run.exitValue() == 0).as("systemctl start").isTrue();
        ProcessHandle service = ProcessHandle.of(Long.parseLong(Files.readString(stateDir.resolve("sleeper.service.pid")).trim()))
                .orElseThrow();
        started.add(service);
        assertThat(Files.readString(stateDir.resolve("sleeper.service.pid.started")).trim())
                .isEqualTo(KernelStartTime.of(service.pid()).orElseThrow());

        LabProcess.Stopped stopped = LabProcess.down(layout);

        assertThat(stopped.leftAlone()).isEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !service.isAlive());
    }
}
