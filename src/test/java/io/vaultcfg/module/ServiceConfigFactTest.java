package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.FileType;
import io.vaultcfg.testing.CountedCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read of what a unit loads, run by a real dash and bash against the systemctl stand-in: drop-ins of any
 * name, ExecStart's -config files and directories, EnvironmentFile= lines; links, FIFOs and hard links not read.
 */
class ServiceConfigFactTest {
    @TempDir
    Path dir;

    Path units;
    Path config;

    ServiceConfigRead read(String shell, String unitDir) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path systemctl = bin.resolve("systemctl");
        try (InputStream in = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(systemctl, in.readAllBytes());
        }
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        ServiceConfigFact fact = new ServiceConfigFact("vault", unitDir);
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + fact.shell() + ") 2>&1").redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SYSTEMCTL_UNIT_DIRS", units.toString());
        builder.environment().put("SYSTEMCTL_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return fact.parse(new CommandOutput(process.waitFor(), output));
    }

    void layout() throws IOException {
        units = Files.createDirectories(dir.resolve("units"));
        config = Files.createDirectories(dir.resolve("vault.d"));
        Files.createDirectories(config.resolve("conf.d"));
        Files.writeString(units.resolve("vault.service"), "[Service]\nEnvironmentFile=-" + config.resolve("vault.env") + "\n"
                + "ExecStart=/usr/bin/vault server -config=" + config.resolve("vault.hcl") + "\n");
        Path dropIns = Files.createDirectories(units.resolve("vault.service.d"));
        Files.writeString(dropIns.resolve("zz-my own name.conf"), "[Service]\nEnvironmentFile=" + config.resolve("aws.env") + "\n"
                + "ExecStart=\nExecStart=/usr/bin/vault server -config " + config.resolve("vault.hcl") + " --config="
                + config.resolve("conf.d") + "\n");
        Files.writeString(config.resolve("vault.hcl"), "storage \"raft\" {}\n");
        Files.writeString(config.resolve("vault.env"), "VAULT_LOG_LEVEL=info\n");
        Files.writeString(config.resolve("aws.env"), "AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n");
        Files.writeString(config.resolve("conf.d/seal.hcl"), "seal \"awskms\" {\n  kms_key_id = \"k\"\n}\n");
        Files.writeString(config.resolve("conf.d/listener.json"), "{\"listener\": {}}\n");
        Files.writeString(config.resolve("conf.d/notes.txt"), "not a configuration file\n");
    }

    /**
     * Every process counts on a fleet: one systemctl, whose answer the shell itself takes apart; per read of files one
     * stat before, one dd per file, one base64 and one stat after; the units' ExecStart and EnvironmentFile lines found by the shell itself.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void startsOneProcessPerFileReadAndOneSystemctl(String shell) throws Exception {
        layout();
        Path standIn = Files.createDirectories(dir.resolve("stand-in")).resolve("systemctl");
        try (InputStream in = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(standIn, in.readAllBytes());
        }
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        CountedCommands counted = CountedCommands.in(dir, "stat", "dd", "base64", "sed", "awk", "tr", "head", "cat")
                .wrap("systemctl", standIn, System.getenv("PATH"));
        ServiceConfigFact fact = new ServiceConfigFact("vault", units.toString());
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + fact.shell() + ") 2>&1").redirectErrorStream(true);
        builder.environment().put("PATH", counted.path());
        builder.environment().put("SYSTEMCTL_UNIT_DIRS", units.toString());
        builder.environment().put("SYSTEMCTL_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        ServiceConfigRead read = fact.parse(new CommandOutput(process.waitFor(), output));

        assertThat(read.units()).as(output).hasSize(2);
        assertThat(read.configs()).hasSize(5);
        // 2 unit files read twice (contents, then their lines), 5 config files once
        assertThat(counted.counts()).isEqualTo(java.util.Map.of("systemctl", 1L, "stat", 4L, "dd", 9L, "base64", 2L));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aFileNamedSeveralTimesIsReadOnce(String shell) throws Exception {
        layout();
        // the drop-in named by DropInPaths and found in its directory, the env file and vault.hcl named by two units
        Files.writeString(units.resolve("vault.service.d/10-again.conf"), "[Service]\nEnvironmentFile=" + config.resolve("aws.env")
                + "\nEnvironmentFile=" + config.resolve("aws.env") + "\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        try (InputStream in = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(bin.resolve("systemctl"), in.readAllBytes());
        }
        Files.setPosixFilePermissions(bin.resolve("systemctl"), PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + new ServiceConfigFact("vault", units.toString()).shell() + ") 2>&1")
                .redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("SYSTEMCTL_UNIT_DIRS", units.toString());
        builder.environment().put("SYSTEMCTL_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();

        java.util.List<String> stats = output.lines().filter(line -> line.startsWith("S|")).map(line -> line.substring(line.lastIndexOf('|') + 1)).toList();
        assertThat(stats).as(output).doesNotHaveDuplicates().contains(units.resolve("vault.service.d/10-again.conf").toString(),
                config.resolve("aws.env").toString(), config.resolve("vault.hcl").toString());
        ServiceConfigRead read = new ServiceConfigFact("vault", units.toString()).parse(new CommandOutput(0, output));
        assertThat(read.configs().get(config.resolve("aws.env").toString()).text()).hasValue("AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void readsTheUnitItsDropInsOfAnyNameAndEveryFileTheyName(String shell) throws Exception {
        layout();

        ServiceConfigRead read = read(shell, units.toString());

        assertThat(read.unitFound()).isTrue();
        assertThat(read.units()).containsOnlyKeys(units.resolve("vault.service").toString(),
                units.resolve("vault.service.d/zz-my own name.conf").toString());
        assertThat(read.configs()).containsKeys(config.resolve("vault.hcl").toString(), config.resolve("vault.env").toString(),
                config.resolve("aws.env").toString(), config.resolve("conf.d/seal.hcl").toString(),
                config.resolve("conf.d/listener.json").toString());
        assertThat(read.configs()).doesNotContainKey(config.resolve("conf.d/notes.txt").toString());
        assertThat(read.directories()).containsEntry(config.resolve("conf.d").toString(), 2);
        assertThat(read.configs().get(config.resolve("aws.env").toString()).text()).hasValue("AWS_ACCESS_KEY_ID=AKIAEXAMPLE\n");

        EffectiveServiceConfig effective = EffectiveServiceConfig.of(read, units.toString(), "/nowhere/vault.env", "/nowhere/seal.hcl");
        assertThat(effective.unreadable()).isEmpty();
        assertThat(effective.execStart().orElseThrow().configPaths())
                .containsExactly(config.resolve("vault.hcl").toString(), config.resolve("conf.d").toString());
        assertThat(effective.configs()).containsOnlyKeys(config.resolve("vault.hcl").toString(),
                config.resolve("conf.d/listener.json").toString(), config.resolve("conf.d/seal.hcl").toString());
        assertThat(effective.envFiles()).containsOnlyKeys(config.resolve("vault.env").toString(), config.resolve("aws.env").toString());
        assertThat(effective.seals()).singleElement().satisfies(seal -> {
            assertThat(seal.type()).isEqualTo("awskms");
            assertThat(seal.place()).isEqualTo(config.resolve("conf.d/seal.hcl") + ":1");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aLinkAFifoAndAHardLinkedFileAreNamedButNeverRead(String shell) throws Exception {
        layout();
        Path secret = Files.writeString(dir.resolve("root-only"), "seal \"transit\" {}\n");
        Files.delete(config.resolve("vault.hcl"));
        Files.createSymbolicLink(config.resolve("vault.hcl"), secret);
        new ProcessBuilder("mkfifo", config.resolve("conf.d/pipe.hcl").toString()).start().waitFor();
        Files.createLink(config.resolve("conf.d/other.hcl"), dir.resolve("root-only"));

        ServiceConfigRead read = read(shell, units.toString());

        assertThat(read.configs().get(config.resolve("vault.hcl").toString()).state().type()).isEqualTo(FileType.SYMLINK);
        assertThat(read.configs().get(config.resolve("vault.hcl").toString()).text()).isEmpty();
        assertThat(read.configs().get(config.resolve("conf.d/pipe.hcl").toString()).text()).isEmpty();
        assertThat(read.configs().get(config.resolve("conf.d/other.hcl").toString()).unreadable())
                .hasValueSatisfying(why -> assertThat(why).contains("hard links"));
        EffectiveServiceConfig effective = EffectiveServiceConfig.of(read, units.toString(), "/nowhere/vault.env", "/nowhere/seal.hcl");
        assertThat(effective.unreadable()).anySatisfy(why -> assertThat(why).contains("vault.hcl is a link"));
        assertThat(effective.seals()).as("nothing of a file not read").noneMatch(seal -> seal.type().equals("transit"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aUnitSystemdDoesNotKnowIsReportedAsNotFound(String shell) throws Exception {
        units = Files.createDirectories(dir.resolve("units"));

        ServiceConfigRead read = read(shell, units.toString());

        assertThat(read.unitFound()).isFalse();
        assertThat(EffectiveServiceConfig.of(read, units.toString(), "/a", "/b").found()).isFalse();
        assertThat(read.problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aDropInWrittenSinceTheLastReloadIsReadAndOrderedByName(String shell) throws Exception {
        layout();
        Path other = Files.createDirectories(dir.resolve("etc-units/vault.service.d"));
        Files.writeString(other.resolve("00-first.conf"), "[Service]\nEnvironment=FIRST=1\n");

        ServiceConfigRead read = read(shell, dir.resolve("etc-units").toString());
        EffectiveServiceConfig effective = EffectiveServiceConfig.of(read, dir.resolve("etc-units").toString(), "/a", "/b");

        assertThat(effective.unitFiles()).containsExactly(units.resolve("vault.service").toString(),
                other.resolve("00-first.conf").toString(), units.resolve("vault.service.d/zz-my own name.conf").toString());
        assertThat(effective.variables()).containsKey("FIRST").containsEntry("VAULT_LOG_LEVEL",
                new EffectiveServiceConfig.Sourced("info", config.resolve("vault.env").toString()));
    }

    /** The shell finds the lines as systemd reads them: blanks around the key and the '=', another key with the same start not. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void findsExecStartAndEnvironmentFileLinesWrittenWithBlanksAndNoOtherKey(String shell) throws Exception {
        layout();
        Files.writeString(units.resolve("vault.service"), "[Service]\n  EnvironmentFile = -" + config.resolve("vault.env") + "\n"
                + "ExecStartPre=/bin/true -config=" + config.resolve("pre.hcl") + "\nEnvironmentFiles=" + config.resolve("aws.env")
                + "\n\t ExecStart\t=\t/usr/bin/vault server -config=" + config.resolve("vault.hcl") + "\n");
        Files.delete(units.resolve("vault.service.d/zz-my own name.conf"));
        Files.writeString(config.resolve("pre.hcl"), "ui = true\n");

        ServiceConfigRead read = read(shell, units.toString());

        assertThat(read.configs()).containsOnlyKeys(config.resolve("vault.env").toString(), config.resolve("vault.hcl").toString());
    }
}
