package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.SystemdProperties;
import io.vaultcfg.testing.CountedCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Whether a unit is active, as {@code systemctl is-active} says, from the properties systemctl show gave, by dash and bash. */
class ServiceFactTest {
    @TempDir
    Path dir;
    Path standIn;

    Map<String, String> standInEnv() {
        return Map.of("SYSTEMCTL_UNIT_DIRS", dir.resolve("units").toString(), "SYSTEMCTL_STATE_DIR", dir.resolve("state").toString());
    }

    Path standIn() throws IOException {
        Files.createDirectories(dir.resolve("units"));
        Files.writeString(dir.resolve("units/sleeper.service"), "[Service]\nExecStart=/bin/sleep 300\n");
        standIn = Files.createDirectories(dir.resolve("stand-in")).resolve("systemctl");
        try (InputStream in = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(standIn, in.readAllBytes());
        }
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwx------"));
        return standIn;
    }

    @AfterEach
    void stop() throws Exception {
        if (standIn != null) {
            ProcessBuilder stop = new ProcessBuilder("sh", standIn.toString(), "stop", "sleeper").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            stop.environment().putAll(standInEnv());
            stop.start().waitFor();
        }
    }

    /** The fact's shell as the facts script runs it, with {@code shown} as the facts script's show output when not null. */
    CommandOutput run(String shell, ServiceFact fact, CountedCommands counted, String shown) throws Exception {
        String assignment = shown == null ? "" : SystemdProperties.SHOWN + "='" + shown + "'\n";
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + assignment + fact.shell() + ") 2>&1").redirectErrorStream(true);
        builder.environment().putAll(standInEnv());
        builder.environment().put("PATH", counted.path());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandOutput(process.waitFor(), output);
    }

    /** Run on its own, the fact asks systemctl once: active while the service runs, not once it stopped or for a unit that does not exist. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void onItsOwnItShowsTheUnitWithOneSystemctl(String shell) throws Exception {
        CountedCommands counted = CountedCommands.in(dir.resolve(shell)).wrap("systemctl", standIn(), System.getenv("PATH"));
        ServiceFact fact = new ServiceFact("sleeper");
        assertThat(fact.parse(run(shell, fact, counted, null))).isFalse();

        ProcessBuilder start = new ProcessBuilder("sh", standIn.toString(), "start", "sleeper").redirectErrorStream(true);
        start.environment().putAll(standInEnv());
        assertThat(start.start().waitFor()).isZero();
        CommandOutput active = run(shell, fact, counted, null);
        assertThat(fact.parse(active)).isTrue();
        assertThat(active).isEqualTo(new CommandOutput(0, "active\n"));
        assertThat(fact.parse(run(shell, new ServiceFact("missing"), counted, null))).isFalse();

        assertThat(counted.counts()).isEqualTo(Map.of("systemctl", 3L));
    }

    /** is-active's exit codes for every state systemd shows, from the facts script's show: no systemctl of its own. */
    @ParameterizedTest
    @CsvSource({"dash,active,0", "dash,reloading,0", "dash,inactive,3", "dash,failed,3", "dash,activating,3", "dash,deactivating,3",
            "dash,maintenance,3", "bash,active,0", "bash,reloading,0", "bash,inactive,3", "bash,activating,3"})
    void everyStateGivesIsActivesAnswer(String shell, String state, int exitCode) throws Exception {
        CountedCommands counted = CountedCommands.in(dir.resolve(shell)).wrap("systemctl", standIn(), System.getenv("PATH"));
        ServiceFact fact = new ServiceFact("sleeper");

        CommandOutput output = run(shell, fact, counted, "MainPID=12\nActiveState=" + state + "\nFragmentPath=/x/ActiveState=active");

        assertThat(output.exitCode()).as(output.output()).isEqualTo(exitCode);
        assertThat(fact.parse(output)).isEqualTo(exitCode == 0);
        assertThat(counted.counts()).isEmpty();
    }

    /**
     * A systemctl whose show gives no ActiveState, or an empty one (a stand-in that does not know it: a fleet host set up
     * by an older vaultcfg), is asked is-active, as before.
     */
    @ParameterizedTest
    @CsvSource({"dash,0", "dash,3", "bash,0", "bash,3"})
    void aShowWithoutTheStateFallsBackToIsActive(String shell, int isActiveExit) throws Exception {
        Path bare = Files.createDirectories(dir.resolve("bare")).resolve("systemctl");
        Files.writeString(bare, "#!/bin/sh\n[ \"$1\" = is-active ] && exit " + isActiveExit + "\nexit 0\n");
        Files.setPosixFilePermissions(bare, PosixFilePermissions.fromString("rwx------"));
        CountedCommands counted = CountedCommands.in(dir.resolve(shell)).wrap("systemctl", bare, System.getenv("PATH"));
        ServiceFact fact = new ServiceFact("sleeper");

        assertThat(fact.parse(run(shell, fact, counted, ""))).isEqualTo(isActiveExit == 0);
        assertThat(fact.parse(run(shell, fact, counted, null))).isEqualTo(isActiveExit == 0);
        assertThat(fact.parse(run(shell, fact, counted, "MainPID=12\nActiveState=\nNeedDaemonReload=no"))).isEqualTo(isActiveExit == 0);
        assertThat(counted.counts()).isEqualTo(Map.of("systemctl", 4L));
        assertThat(List.of(fact.systemdUnit(), new ServiceFact("app.socket").systemdUnit())).containsExactly("sleeper.service", "app.socket");
    }
}
