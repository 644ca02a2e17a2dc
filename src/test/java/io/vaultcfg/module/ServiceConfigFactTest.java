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
import java.util.List;
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
        return read(shell, unitDir, script -> script);
    }

    /** @param edit changes the fact's shell before it runs, e.g. to act between a read and its second stat */
    ServiceConfigRead read(String shell, String unitDir, java.util.function.UnaryOperator<String> edit) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path systemctl = bin.resolve("systemctl");
        try (InputStream in = getClass().getResourceAsStream("/io/vaultcfg/lab/systemctl")) {
            Files.write(systemctl, in.readAllBytes());
        }
        Files.setPosixFilePermissions(systemctl, PosixFilePermissions.fromString("rwxr-xr-x"));
        ServiceConfigFact fact = new ServiceConfigFact("vault", unitDir);
        ProcessBuilder builder = new ProcessBuilder(shell, "-c", "(" + edit.apply(fact.shell()) + ") 2>&1").redirectErrorStream(true);
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
     * Every process counts on a fleet: one systemctl, whose answer the shell itself takes apart; one dd per file, each unit
     * file read once (its ExecStart and EnvironmentFile lines found by the shell itself in what it read); one base64 per
     * read; three stats: the units' before, the units' after with the configs' before in one call, the configs' after.
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
        // 2 unit files and 5 config files, each read once
        assertThat(counted.counts()).isEqualTo(java.util.Map.of("systemctl", 1L, "stat", 3L, "dd", 7L, "base64", 2L));
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

        // each path's first stat: the units' second one shares a stat call with the configs' first, before the separator "/"
        String configs = output.substring(output.indexOf("=configs"));
        String firstStats = output.substring(0, output.indexOf("=configs")) + configs.substring(configs.indexOf("|/\n") + 3);
        java.util.List<String> stats = firstStats.lines().filter(line -> line.startsWith("S|")).map(line -> line.substring(line.lastIndexOf('|') + 1)).toList();
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

    /** Runs {@code action} right after the unit files were read, before their second stat. */
    static java.util.function.UnaryOperator<String> afterTheUnitsRead(String action) {
        return script -> {
            assertThat(script).contains("vc_lines=${vc_lines%x}\n");
            return script.replace("vc_lines=${vc_lines%x}\n", "vc_lines=${vc_lines%x}\n" + action + "\n");
        };
    }

    /** The units are read once, and what the controller gets of each is its exact bytes, whatever its line breaks. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void eachUnitFileArrivesWithItsExactBytes(String shell) throws Exception {
        layout();
        byte[] everyByteButNul = new byte[255 * 2 + 3];
        for (int i = 0; i < 255 * 2; i++) {
            everyByteButNul[i] = (byte) (i % 255 + 1);
        }
        everyByteButNul[510] = '\n';
        everyByteButNul[511] = '\n';
        everyByteButNul[512] = '\n';
        Path dropIns = units.resolve("vault.service.d");
        Files.write(dropIns.resolve("10-bytes.conf"), everyByteButNul);
        Files.writeString(dropIns.resolve("20-no-line-break.conf"), "[Service]\nEnvironment=A=1");
        Files.writeString(dropIns.resolve("30-empty.conf"), "");
        Files.writeString(dropIns.resolve("40-blank-lines.conf"), "\n\n\n");

        ServiceConfigRead read = read(shell, units.toString());

        for (Path unit : List.of(units.resolve("vault.service"), dropIns.resolve("zz-my own name.conf"), dropIns.resolve("10-bytes.conf"),
                dropIns.resolve("20-no-line-break.conf"), dropIns.resolve("30-empty.conf"), dropIns.resolve("40-blank-lines.conf"))) {
            assertThat(read.units().get(unit.toString()).unreadable()).as(unit.toString()).isEmpty();
            assertThat(read.units().get(unit.toString()).state().content()).as(unit.toString())
                    .hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(readBytes(unit)));
        }
        assertThat(read.configs()).containsKeys(config.resolve("vault.hcl").toString(), config.resolve("aws.env").toString());
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A shell variable drops a NUL byte: the units no longer fit the sizes stat saw, and none of them is used. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aUnitWithANulByteIsRefusedNotParsedShort(String shell) throws Exception {
        layout();
        Files.write(units.resolve("vault.service.d/10-nul.conf"), "[Service]\nEnvironment=A=\0\nExecStart=\n".getBytes(StandardCharsets.UTF_8));

        ServiceConfigRead read = read(shell, units.toString());

        assertThat(read.units()).hasSize(3).allSatisfy((path, file) -> {
            assertThat(file.state().content()).as(path).isEmpty();
            assertThat(file.unreadable()).as(path).hasValueSatisfying(why -> assertThat(why).contains("NUL byte"));
        });
        EffectiveServiceConfig effective = EffectiveServiceConfig.of(read, units.toString(), "/nowhere/vault.env", "/nowhere/seal.hcl");
        assertThat(effective.unreadable()).anySatisfy(why -> assertThat(why).contains("10-nul.conf").contains("NUL byte"));
    }

    /** A unit swapped for another file after its read is caught by its second stat, which the configs' first stat call makes. */
    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aUnitSwappedAfterItsReadIsRefused(String shell) throws Exception {
        layout();
        Path unit = units.resolve("vault.service");
        Path other = Files.writeString(dir.resolve("other.service"), "[Service]\nExecStart=/usr/bin/vault server -config=/x.hcl\n");

        ServiceConfigRead read = read(shell, units.toString(), afterTheUnitsRead("mv " + other + " " + unit));

        assertThat(read.units().get(unit.toString()).unreadable()).hasValue("changed while it was read; run again");
        assertThat(read.units().get(unit.toString()).state().content()).isEmpty();
        assertThat(read.units().get(units.resolve("vault.service.d/zz-my own name.conf").toString()).state().content())
                .as("the other unit, read before the swap").hasValueSatisfying(bytes ->
                        assertThat(bytes).isEqualTo(readBytes(units.resolve("vault.service.d/zz-my own name.conf"))));
        assertThat(read.configs()).as("the configs are read as today").containsKey(config.resolve("vault.hcl").toString());
        assertThat(read.configs().get(config.resolve("vault.hcl").toString()).text()).hasValue("storage \"raft\" {}\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dash", "bash"})
    void aHardLinkedUnitAndOneTooLargeAreRefused(String shell) throws Exception {
        layout();
        Path secret = Files.writeString(dir.resolve("root-only"), "[Service]\nEnvironment=SECRET=shadow\n");
        Files.createLink(units.resolve("vault.service.d/10-linked.conf"), secret);
        try (var out = Files.newOutputStream(units.resolve("vault.service.d/20-large.conf"))) {
            out.write("[Service]\n".repeat(200_000).getBytes(StandardCharsets.UTF_8));
        }

        ServiceConfigRead read = read(shell, units.toString());

        assertThat(read.units().get(units.resolve("vault.service.d/10-linked.conf").toString())).satisfies(file -> {
            assertThat(file.state().content()).isEmpty();
            assertThat(file.unreadable()).hasValueSatisfying(why -> assertThat(why).contains("hard links"));
        });
        assertThat(read.units().get(units.resolve("vault.service.d/20-large.conf").toString())).satisfies(file -> {
            assertThat(file.state().content()).isEmpty();
            assertThat(file.unreadable()).hasValueSatisfying(why -> assertThat(why).contains("larger than 1024 KiB"));
        });
        assertThat(read.units().get(units.resolve("vault.service").toString()).text()).hasValueSatisfying(text -> assertThat(text).contains("ExecStart="));
        assertThat(read.configs()).containsKey(config.resolve("aws.env").toString());
    }
}
