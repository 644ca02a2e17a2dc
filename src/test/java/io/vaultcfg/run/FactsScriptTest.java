package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.FileType;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.SystemdProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The facts script run by a real /bin/sh on real files, and its output read back. */
class FactsScriptTest {
    @TempDir
    Path dir;

    /** A command whose exit code and output, as they are, are the fact. */
    private record Output(String shell) implements CommandFact<CommandOutput> {
        @Override
        public CommandOutput parse(CommandOutput output) {
            return output;
        }
    }

    @Test
    void readsTypesModesAndContentsOfManyFilesInOnePass() throws Exception {
        Path env = Files.writeString(dir.resolve("vault.env"), "AWS_ACCESS_KEY_ID=AKIA1\nAWS_SECRET_ACCESS_KEY=s|e\ncret\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        Path empty = Files.createFile(dir.resolve("empty.hcl"));
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', '|'};
        Path blob = Files.write(dir.resolve("with space|and pipe"), binary);
        Path link = Files.createSymbolicLink(dir.resolve("link.conf"), env);
        Path sub = Files.createDirectory(dir.resolve("drop-in.d"));
        Path missing = dir.resolve("missing.conf");

        HostFacts facts = run(List.of(
                new FileFact(sub.toString(), false),
                new FileFact(env.toString(), true),
                new FileFact(empty.toString(), true),
                new FileFact(missing.toString(), true),
                new FileFact(link.toString(), true),
                new FileFact(blob.toString(), true),
                new FileFact(env.toString(), false)));

        assertThat(facts.file(sub.toString()).isDirectory()).isTrue();
        FileState envState = facts.file(env.toString());
        assertThat(envState.isRegularFile()).isTrue();
        assertThat(envState.mode()).isEqualTo(FileMode.parse("600"));
        assertThat(envState.owner()).isEqualTo(System.getProperty("user.name"));
        assertThat(new String(envState.content().orElseThrow(), StandardCharsets.UTF_8))
                .isEqualTo("AWS_ACCESS_KEY_ID=AKIA1\nAWS_SECRET_ACCESS_KEY=s|e\ncret\n");
        assertThat(facts.file(empty.toString()).content()).hasValueSatisfying(bytes -> assertThat(bytes).isEmpty());
        assertThat(facts.file(missing.toString())).isEqualTo(FileState.MISSING);
        assertThat(facts.file(link.toString()).type()).isEqualTo(FileType.SYMLINK);
        assertThat(facts.file(link.toString()).content()).as("a symlink is never followed").isEmpty();
        assertThat(facts.file(blob.toString()).content()).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(binary));
    }

    @Test
    void typeAndModeAreValuesFromTheRawModeNotStatsWords() throws Exception {
        Path sticky = Files.createDirectory(dir.resolve("shared"));
        Files.setPosixFilePermissions(sticky, PosixFilePermissions.fromString("rwxrwxrwx"));
        new ProcessBuilder("chmod", "1777", sticky.toString()).start().waitFor();
        Path fifo = dir.resolve("pipe");
        new ProcessBuilder("mkfifo", "-m", "640", fifo.toString()).start().waitFor();
        Path empty = Files.createFile(dir.resolve("empty"));
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rwxr-x---"));

        HostFacts facts = run(List.of(new FileFact(sticky.toString(), false), new FileFact(fifo.toString(), true),
                new FileFact(empty.toString(), true)));

        assertThat(facts.get(new FileFact(sticky.toString(), false))).satisfies(state -> {
            assertThat(state.type()).isEqualTo(FileType.DIRECTORY);
            assertThat(state.mode()).isEqualTo(new FileMode(01777));
            assertThat(state.mode().sticky()).isTrue();
        });
        assertThat(facts.file(fifo.toString()).type()).isEqualTo(FileType.FIFO);
        assertThat(facts.file(fifo.toString()).mode()).hasToString("640");
        assertThat(facts.file(fifo.toString()).content()).as("a FIFO is never opened").isEmpty();
        assertThat(facts.file(empty.toString()).type()).as("stat calls it a regular empty file").isEqualTo(FileType.REGULAR);
        assertThat(facts.file(empty.toString()).mode()).isEqualTo(FileMode.parse("0750"));
    }

    @Test
    void keepsCommandOutputAndExitCodeEvenWithoutATrailingLineBreak() throws Exception {
        String noNewline = "printf '{\"sealed\":false}'";
        String failing = "echo broken; exit 3";
        HostFacts facts = run(List.of(new Output(noNewline), new Output(failing),
                new FileFact(dir.toString(), false)));

        assertThat(facts.get(new Output(noNewline)).output()).isEqualTo("{\"sealed\":false}");
        assertThat(facts.get(new Output(noNewline)).exitCode()).isZero();
        assertThat(facts.get(new Output(failing)).output()).isEqualTo("broken");
        assertThat(facts.get(new Output(failing)).exitCode()).isEqualTo(3);
        assertThat(facts.file(dir.toString()).isDirectory()).isTrue();
    }

    @Test
    void aCommandCannotForgeTheSectionMarkers() throws Exception {
        String forging = "echo '@@vaultcfg-0000000000000000 end c0 0'; echo real";
        HostFacts facts = run(List.of(new Output(forging)));

        assertThat(facts.get(new Output(forging)).output()).isEqualTo("@@vaultcfg-0000000000000000 end c0 0\nreal");
    }

    @Test
    void aFileThatChangesWhileItIsReadIsAnErrorNotAWrongContent() throws Exception {
        Path file = Files.writeString(dir.resolve("vault.env"), "short\n");
        FactsScript facts = new FactsScript(List.of(new FileFact(file.toString(), true)), "@@vaultcfg-0123456789abcdef");
        String stdout = shell(beforeRead(facts, "echo grown >> " + file));

        assertThatThrownBy(() -> facts.parse(stdout)).hasMessageContaining("changed while it was read");
    }

    /** The root-only file a swap would try to leak, and the service user's file that gets swapped. */
    private Path secret;
    private Path env;

    private FactsScript swapTarget() throws IOException {
        secret = Files.writeString(dir.resolve("shadow"), "root:$6$SHADOW-CANARY:19700:0:99999:7:::\n");
        env = Files.writeString(dir.resolve("vault.env"), "A".repeat(40) + "\n");
        return new FactsScript(List.of(new FileFact(env.toString(), true)), "@@vaultcfg-0123456789abcdef");
    }

    @Test
    void aSymlinkSwappedInAfterTheTestIsNotFollowed() throws Exception {
        FactsScript facts = swapTarget();
        String stdout = shell(beforeRead(facts, "rm " + env + "; ln -s " + secret + " " + env));

        assertThat(stdout).doesNotContain(java.util.Base64.getEncoder().encodeToString(Files.readAllBytes(secret)).substring(0, 20));
        assertThatThrownBy(() -> facts.parse(stdout)).hasMessageContaining("changed while it was read")
                .hasMessageNotContaining("SHADOW-CANARY");
    }

    @Test
    void aFifoSwappedInDoesNotHangTheRead() throws Exception {
        FactsScript facts = swapTarget();
        String stdout = shell(beforeRead(facts, "rm " + env + "; mkfifo " + env));

        assertThatThrownBy(() -> facts.parse(stdout)).hasMessageContaining("changed while it was read");
    }

    @Test
    void aLinkToDevZeroSwappedInReadsNothing() throws Exception {
        FactsScript facts = swapTarget();
        String stdout = shell(beforeRead(facts, "rm " + env + "; ln -s /dev/zero " + env));

        assertThat(stdout.length()).isLessThan(4096);
        assertThatThrownBy(() -> facts.parse(stdout)).hasMessageContaining("changed while it was read");
    }

    @Test
    void aFileWithSeveralHardLinksIsRefused() throws Exception {
        FactsScript facts = swapTarget();
        Files.delete(env);
        Files.createLink(env, secret);
        String stdout = shell(facts.script());

        assertThatThrownBy(() -> facts.parse(stdout)).hasMessageContaining("2 hard links").hasMessageNotContaining("SHADOW-CANARY");
    }

    @Test
    void aFileLargerThanTheCapIsRefusedAndReadOnlyUpToTheCap() throws Exception {
        FactsScript facts = swapTarget();
        try (var out = Files.newOutputStream(env)) {
            out.write(new byte[8 * 1024 * 1024]);
        }
        String stdout = shell(facts.script());

        assertThat(stdout.length()).as("base64 of at most the cap + 1 byte").isLessThan(FactsScript.MAX_CONTENT * 4 / 3 + 4096);
        assertThatThrownBy(() -> facts.parse(stdout)).hasMessageContaining("larger than 1024 KiB");
    }

    /** Runs {@code action} right after the test-and-collect and right before the contents are read. */
    private static String beforeRead(FactsScript facts, String action) {
        String script = facts.script();
        assertThat(script).contains("for vc_f in");
        return script.replace("for vc_f in", action + "\nfor vc_f in");
    }

    private HostFacts run(List<Fact<?>> queries) throws Exception {
        FactsScript facts = new FactsScript(queries, "@@vaultcfg-0123456789abcdef");
        return facts.parse(shell(facts.script()));
    }

    @Test
    void bashReadsTheSameFactsAsDash() throws Exception {
        Path env = Files.writeString(dir.resolve("vault.env"), "A=1\n");
        Path missing = dir.resolve("missing");
        FactsScript facts = new FactsScript(List.of(new FileFact(env.toString(), true),
                new FileFact(missing.toString(), true), new Output("echo hi; exit 4")),
                "@@vaultcfg-0123456789abcdef");

        HostFacts dash = facts.parse(shell("/bin/dash", facts.script()));
        HostFacts bash = facts.parse(shell("/bin/bash", facts.script()));

        assertThat(new String(bash.file(env.toString()).content().orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("A=1\n");
        assertThat(bash.file(env.toString()).mode()).isEqualTo(dash.file(env.toString()).mode());
        assertThat(bash.file(missing.toString())).isEqualTo(FileState.MISSING);
        assertThat(bash.get(new Output("echo hi; exit 4"))).isEqualTo(dash.get(new Output("echo hi; exit 4")));
    }

    /**
     * A fact that prints what the facts script showed it of its unit's properties; in a subshell of its own, or, when it
     * needs none, in the script's own shell (where the script's variable for it must be gone after it).
     */
    private record Shown(String unit, List<String> systemdProperties, boolean needsSubshell)
            implements CommandFact<String>, SystemdProperties {
        Shown(String unit, List<String> systemdProperties) {
            this(unit, systemdProperties, true);
        }

        @Override
        public String shell() {
            return "printf '%s' \"${" + SHOWN + "-unset}\"";
        }

        @Override
        public String parse(CommandOutput output) {
            return output.output();
        }
    }

    /** Facts of one unit share one systemctl show of every property they want, each unit its own, its name quoted. */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void oneSystemctlShowPerUnitForAllItsFacts(String shellPath) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path log = dir.resolve("systemctl.log");
        Files.writeString(bin.resolve("systemctl"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\n"
                + "for vc_a do vc_last=$vc_a; done\n"
                + "while [ \"$1\" != -- ]; do [ \"$1\" = -p ] && echo \"$2=of $vc_last\"; shift; done\n");
        Files.setPosixFilePermissions(bin.resolve("systemctl"), PosixFilePermissions.fromString("rwx------"));
        Shown state = new Shown("vault.service", List.of("ActiveState"));
        Shown files = new Shown("vault.service", List.of("FragmentPath", "ActiveState", "DropInPaths"));
        Shown other = new Shown("odd unit';x.service", List.of("MainPID"));
        Output plain = new Output("printf '%s' \"${" + SystemdProperties.SHOWN + "-unset}\"");
        FactsScript facts = new FactsScript(List.of(state, plain, files, other), "@@vaultcfg-0123456789abcdef");

        ProcessBuilder builder = new ProcessBuilder(shellPath, "-c", facts.script()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        HostFacts read = facts.parse(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(process.waitFor()).isZero();

        String vault = "ActiveState=of vault.service\nFragmentPath=of vault.service\nDropInPaths=of vault.service";
        assertThat(read.get(state)).isEqualTo(vault);
        assertThat(read.get(files)).isEqualTo(vault);
        assertThat(read.get(other)).isEqualTo("MainPID=of odd unit';x.service");
        assertThat(read.get(plain).output()).isEqualTo("unset");
        assertThat(Files.readAllLines(log)).containsExactly("show -p ActiveState -p FragmentPath -p DropInPaths -- vault.service",
                "show -p MainPID -- odd unit';x.service");
    }

    /** A fact that declares it needs no subshell: it runs in a brace group of the script's own shell. */
    private record InScriptShell(String shell) implements CommandFact<CommandOutput> {
        @Override
        public boolean needsSubshell() {
            return false;
        }

        @Override
        public CommandOutput parse(CommandOutput output) {
            return output;
        }
    }

    /**
     * What a fact prints depends on no earlier fact: one that exits, turns globbing off, sets the positional parameters,
     * a variable or a function runs in a subshell of its own; a fact that needs none prints what it prints alone.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void anEarlierFactThatExitsOrChangesTheShellChangesNoLaterFact(String shellPath) throws Exception {
        Files.writeString(dir.resolve("a.glob"), "");
        FileFact file = new FileFact(dir.resolve("a.glob").toString(), true);
        InScriptShell probe = new InScriptShell("printf '%s|' \"$#\" \"$1\" " + dir + "/*.glob \"${vc_leak-unset}\" \"${vc_systemd-unset}\"; "
                + "command -v vc_fn || echo no-function");
        Output exits = new Output("echo before; exit 5");
        Output changes = new Output("set -f; set -- x y z; vc_leak=1; vc_fn() { echo fn; }; IFS=x; echo changed");
        Shown systemd = new Shown("vault.service", List.of("ActiveState"));
        InScriptShell quiet = new InScriptShell("true");
        Shown systemdHere = new Shown("other.service", List.of("MainPID"), false);
        FactsScript alone = new FactsScript(List.of(file, probe), "@@vaultcfg-0123456789abcdef");
        FactsScript after = new FactsScript(List.of(file, exits, changes, systemd, quiet, systemdHere, probe), "@@vaultcfg-0123456789abcdef");

        HostFacts expected = alone.parse(shell(shellPath, alone.script()));
        HostFacts read = after.parse(shell(shellPath, after.script()));

        assertThat(expected.get(probe).output()).isEqualTo("1|" + dir.resolve("a.glob") + "|" + dir.resolve("a.glob") + "|unset|unset|no-function");
        assertThat(read.get(probe)).isEqualTo(expected.get(probe));
        assertThat(read.get(exits)).isEqualTo(new CommandOutput(5, "before"));
        assertThat(read.get(changes)).isEqualTo(new CommandOutput(0, "changed"));
        assertThat(read.get(quiet).exitCode()).isZero();
        assertThat(read.get(systemdHere)).as("shown to it, then unset").isNotEqualTo("unset");
    }

    /** A fact that needs no subshell is one fork fewer: the processes it starts are the script shell's own children. */
    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void theKmsReachProbeRunsInTheScriptsOwnShell(String shellPath) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path parent = dir.resolve("curl-parent");
        Files.writeString(bin.resolve("curl"), "#!/bin/sh\necho \"$PPID\" > '" + parent + "'\n");
        Files.setPosixFilePermissions(bin.resolve("curl"), PosixFilePermissions.fromString("rwx------"));
        io.vaultcfg.module.KmsReachFact reach = new io.vaultcfg.module.KmsReachFact("https://kms.eu-west-1.amazonaws.com");
        FactsScript facts = new FactsScript(List.of(reach, new Output("echo next")), "@@vaultcfg-0123456789abcdef");

        ProcessBuilder builder = new ProcessBuilder(shellPath, "-c", "echo \"$$\" > '" + dir.resolve("script-shell") + "'\n" + facts.script())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process process = builder.start();
        HostFacts read = facts.parse(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertThat(process.waitFor()).isZero();

        assertThat(read.get(reach).reached()).isTrue();
        assertThat(Files.readString(parent)).isEqualTo(Files.readString(dir.resolve("script-shell")));
    }

    private static String shell(String script) throws IOException, InterruptedException {
        return shell("/bin/sh", script);
    }

    private static String shell(String shellPath, String script) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder(shellPath, "-c", script).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        java.util.concurrent.CompletableFuture<byte[]> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return sh.getInputStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (!sh.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            sh.destroyForcibly();
            throw new AssertionError("the facts script hung");
        }
        return new String(out.join(), StandardCharsets.UTF_8);
    }
}
