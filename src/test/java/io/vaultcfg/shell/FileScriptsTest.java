package io.vaultcfg.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated file scripts run by real dash and bash on real files. Commands are reached through
 * shims in front of PATH: a shim can make its command fail (failure injection) or, before running it,
 * let an attacker process running as another user swap every entry of the service user's directory
 * for a symlink to a root-only file. That makes the race the review found happen every time.
 */
class FileScriptsTest {
    private static final String ATTACKER_UID = "12345";
    private static final List<String> SHELLS = List.of("/bin/dash", "/bin/bash");
    /** Every program the write script runs. */
    private static final List<String> COMMANDS = List.of("id", "stat", "mktemp", "base64", "chown", "chmod", "mv", "rmdir");
    /** Every program the directory and backup scripts run besides those. */
    private static final List<String> MORE_COMMANDS = List.of("mkdir", "dd");

    @TempDir
    Path tmp;

    private Path shims;
    private Path root;

    private void layout() throws IOException {
        root = Files.createDirectories(tmp.resolve("host"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        shims = Files.createDirectories(tmp.resolve("shims"));
        for (String command : Stream.concat(COMMANDS.stream(), MORE_COMMANDS.stream()).toList()) {
            String real = Stream.of("/usr/bin/", "/bin/").map(dir -> dir + command).filter(p -> Files.isExecutable(Path.of(p)))
                    .findFirst().orElseThrow();
            String shim = "#!/bin/sh\n"
                    + "if [ \"${VC_FAIL:-}\" = " + command + " ]; then\n"
                    + ("base64".equals(command)
                    ? "  " + real + " \"$@\" | head -c 7; exit 1\n" // disk full half-way through the write
                    : "  echo 'injected failure' >&2; exit 1\n")
                    + "fi\n"
                    + "if [ -n \"${VC_ATTACK:-}\" ]; then case " + command + " in chown|chmod|mv|base64|rmdir) sh \"$VC_ATTACK\" ;; esac; fi\n"
                    + "exec " + real + " \"$@\"\n";
            Path file = Files.writeString(shims.resolve(command), shim);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    private record Run(int exitCode, String output) {
    }

    /** A file write as a step carries it: the script, and the content for its standard input. */
    private record Write(String shell, byte[] content) {
    }

    private static Write write(String dest, byte[] content, Optional<String> owner, Optional<String> group, Optional<String> mode) {
        return new Write(FileScripts.writeFile(dest, content.length, owner, group, mode), content);
    }

    private Run run(String shell, Write write, String... env) throws IOException, InterruptedException {
        return runWithInput(shell, write.shell(), " " + FileScripts.hereDocument(write.content()), env);
    }

    private Run run(String shell, String script, String... env) throws IOException, InterruptedException {
        return runWithInput(shell, script, "\n", env);
    }

    private Run runWithInput(String shell, String script, String input, String... env) throws IOException, InterruptedException {
        // as on a host: the script arrives on stdin and is evaluated whole, the step in a set -e subshell
        List<String> command = List.of(shell, "-c", "eval \"$(cat)\" </dev/null");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", shims + ":/usr/bin:/bin");
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(("(\nset -e\n" + script + "\n) 2>&1" + input).getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out);
    }

    private static String me() {
        return System.getProperty("user.name");
    }

    @Test
    void writesContentOwnerAndModeUnderDashAndBash() throws Exception {
        layout();
        for (String shell : SHELLS) {
            Path dir = Files.createDirectories(root.resolve("etc" + shell.replace('/', '-')));
            Path target = dir.resolve("vault.env");
            Run run = run(shell, write(target.toString(), "A=1\n".getBytes(StandardCharsets.UTF_8),
                    Optional.empty(), Optional.empty(), Optional.of("600")));

            assertThat(run.exitCode()).as(run.output()).isZero();
            assertThat(Files.readString(target)).isEqualTo("A=1\n");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
            assertThat(leftovers(dir)).isEmpty();
        }
    }

    static Stream<Arguments> failures() {
        List<Arguments> all = new ArrayList<>();
        for (String shell : SHELLS) {
            for (String command : COMMANDS) {
                all.add(Arguments.of(shell, command));
            }
        }
        return all.stream();
    }

    /** Whichever command fails, the target is the old file or the new one, never anything else, and nothing is left behind. */
    @ParameterizedTest(name = "{1} fails under {0}")
    @MethodSource("failures")
    void anyFailingCommandLeavesTheTargetOldOrNew(String shell, String failing) throws Exception {
        layout();
        Path dir = Files.createDirectories(root.resolve("etc"));
        Path target = Files.writeString(dir.resolve("vault.env"), "OLD=1\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        byte[] wanted = "NEW=2\nAWS_SECRET_ACCESS_KEY=x\n".getBytes(StandardCharsets.UTF_8);

        Run run = run(shell, write(target.toString(), wanted, Optional.of(me()), Optional.empty(),
                Optional.of("600")), "VC_FAIL", failing);

        String now = Files.readString(target);
        if (run.exitCode() != 0) {
            assertThat(now).as("a failed step leaves the target as it was: " + run.output()).isEqualTo("OLD=1\n");
            assertThat(run.output()).contains("vaultcfg:").doesNotContain("NEW=2");
        } else {
            assertThat(now).as(failing + " failing made no difference, so the write must be whole").isEqualTo(new String(wanted, StandardCharsets.UTF_8));
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(leftovers(dir)).as("staging directories left behind").isEmpty();
        assertThat(leftovers(root)).isEmpty();
    }

    static Stream<Arguments> directoryFailures() {
        List<Arguments> all = new ArrayList<>();
        for (String shell : SHELLS) {
            for (String command : List.of("id", "stat", "mkdir", "chown", "chmod")) {
                all.add(Arguments.of(shell, command));
            }
        }
        return all.stream();
    }

    /** A directory is either not made (the step failed) or made with the planned mode; never something else. */
    @ParameterizedTest(name = "{1} fails under {0}")
    @MethodSource("directoryFailures")
    void anyFailingCommandLeavesTheDirectoryAbsentOrAsPlanned(String shell, String failing) throws Exception {
        layout();
        Path dir = root.resolve("etc/vault.d");

        Run run = run(shell, FileScripts.directory(dir.toString(), Optional.of(me()), Optional.empty(), Optional.of("750")),
                "VC_FAIL", failing);

        if (run.exitCode() == 0) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwxr-x---");
        } else {
            assertThat(run.output()).as("the step says why").isNotBlank();
            assertThat(!Files.exists(dir) || Files.isDirectory(dir)).isTrue();
        }
    }

    static Stream<Arguments> backupFailures() {
        List<Arguments> all = new ArrayList<>();
        for (String shell : SHELLS) {
            for (String command : List.of("id", "stat", "mktemp", "dd", "chown", "chmod", "mv", "rmdir", "base64")) {
                all.add(Arguments.of(shell, command));
            }
        }
        return all.stream();
    }

    /** A backup and its write: the target is old or new, the backup absent or a whole copy of the old, nothing left. */
    @ParameterizedTest(name = "{1} fails under {0}")
    @MethodSource("backupFailures")
    void aBackupIsWholeOrAbsentWhicheverCommandFails(String shell, String failing) throws Exception {
        layout();
        Path dir = Files.createDirectories(root.resolve("etc"));
        Path target = Files.writeString(dir.resolve("app.conf"), "OLD=1\n");
        Path copy = dir.resolve("app.conf.20261206000000~");
        Write write = write(target.toString(), "NEW=2\n".getBytes(StandardCharsets.UTF_8), Optional.empty(), Optional.empty(),
                Optional.of("644"));

        Run run = run(shell, new Write(FileScripts.backup(target.toString(), copy.toString()) + write.shell(), write.content()),
                "VC_FAIL", failing);

        String now = Files.readString(target);
        assertThat(now).isIn("OLD=1\n", "NEW=2\n");
        if (run.exitCode() != 0) {
            assertThat(now).as(run.output()).isEqualTo("OLD=1\n");
        }
        if (Files.exists(copy)) {
            assertThat(Files.readString(copy)).isEqualTo("OLD=1\n");
        }
        if (now.equals("NEW=2\n")) {
            assertThat(copy).as("the old content was backed up before it was replaced").exists();
        }
        assertThat(leftovers(root)).isEmpty();
    }

    @Test
    void aStagingDirectoryLeftByAKilledRunIsRemovedByALaterOne() throws Exception {
        layout();
        Path dir = Files.createDirectories(root.resolve("etc"));
        Path stale = Files.createDirectories(dir.resolve(FileScripts.stagePrefix() + "KILLED01"));
        Files.writeString(stale.resolve("new"), "half");
        assertThat(new ProcessBuilder("touch", "-d", "2 hours ago", stale.toString()).start().waitFor()).isZero();

        Run run = run("/bin/sh", write(dir.resolve("f").toString(), new byte[] {'x'}, Optional.empty(),
                Optional.empty(), Optional.of("644")));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void refusesAnAncestorThatOthersCanWriteAndChangesNothing() throws Exception {
        layout();
        Path shared = Files.createDirectories(root.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxr-x"));
        Path dir = Files.createDirectories(shared.resolve("vault.d"));
        Path target = Files.writeString(dir.resolve("vault.env"), "OLD\n");

        Run run = run("/bin/sh", write(target.toString(), "NEW\n".getBytes(StandardCharsets.UTF_8),
                Optional.empty(), Optional.empty(), Optional.of("600")));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("refused: " + shared + " is writable by group or others");
        assertThat(Files.readString(target)).isEqualTo("OLD\n");
        assertThat(leftovers(dir)).isEmpty();
    }

    @Test
    void refusesAnAncestorThatIsASymlink() throws Exception {
        layout();
        Path real = Files.createDirectories(root.resolve("real"));
        Path link = Files.createSymbolicLink(root.resolve("link"), real);

        Run run = run("/bin/sh", FileScripts.directory(link.resolve("vault.d").toString(), Optional.empty(), Optional.empty(),
                Optional.of("750")));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("refused: " + link + " is not a directory (a link?)");
        assertThat(real.resolve("vault.d")).doesNotExist();
    }

    /**
     * The critical finding, reproduced every time: the service user owns the config directory and, at
     * each chown, chmod, mv, rmdir and base64 that root runs, replaces every entry there (temp files
     * and targets) with a symlink to a root-only file. Root must never write, chown or chmod that file.
     */
    @Test
    void theServiceUserCannotRedirectRootsWritesThroughSymlinks() throws Exception {
        assumeTrue(me().equals("root"), "needs root to play both root and the service user");
        layout();
        Path victim = Files.writeString(root.resolve("shadow"), "root:$6$VICTIM:19700:0:99999:7:::\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path dir = Files.createDirectories(root.resolve("vault.d"));
        chown(ATTACKER_UID + ":" + ATTACKER_UID, dir);
        Path attack = Files.writeString(tmp.resolve("attack.sh"),
                "setpriv --reuid=" + ATTACKER_UID + " --regid=" + ATTACKER_UID + " --clear-groups -- /bin/sh -c '\n"
                        + "for f in " + dir + "/* " + dir + "/.[!.]*; do\n"
                        + "  [ -e \"$f\" ] || [ -L \"$f\" ] || continue\n"
                        + "  rm -rf \"$f\" && ln -s " + victim + " \"$f\"\n"
                        + "done' 2>/dev/null || true\n");

        for (int round = 0; round < 10; round++) {
            for (String shell : SHELLS) {
                Path env = dir.resolve("vault.env");
                byte[] content = ("AWS_SECRET_ACCESS_KEY=round-" + round + shell + "\n").getBytes(StandardCharsets.UTF_8);
                run(shell, write(env.toString(), content, Optional.of(ATTACKER_UID), Optional.of(ATTACKER_UID),
                        Optional.of("600")), "VC_ATTACK", attack.toString());
                run(shell, FileScripts.directory(dir.toString(), Optional.of(ATTACKER_UID), Optional.of(ATTACKER_UID),
                        Optional.of("755")), "VC_ATTACK", attack.toString());
            }
        }

        assertThat(Files.readString(victim)).isEqualTo("root:$6$VICTIM:19700:0:99999:7:::\n");
        assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-------");
        assertThat(leftovers(root)).isEmpty();
    }

    @Test
    void aBackupInADirectoryTheServiceUserCanWriteIsRefusedAndNothingChanges() throws Exception {
        assumeTrue(me().equals("root"), "needs root to give the directory to another user");
        layout();
        Path dir = Files.createDirectories(root.resolve("vault.d"));
        chown(ATTACKER_UID + ":" + ATTACKER_UID, dir);
        Path target = Files.writeString(dir.resolve("app.conf"), "OLD=1\n");
        chown(ATTACKER_UID + ":" + ATTACKER_UID, target);
        Path copy = dir.resolve("app.conf.20261206000000~");
        Write write = write(target.toString(), "NEW=2\n".getBytes(StandardCharsets.UTF_8), Optional.of(ATTACKER_UID),
                Optional.of(ATTACKER_UID), Optional.of("644"));

        Run run = run("/bin/sh", new Write(FileScripts.backup(target.toString(), copy.toString()) + write.shell(), write.content()));

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("refused: a backup in " + dir);
        assertThat(Files.readString(target)).isEqualTo("OLD=1\n");
        assertThat(copy).doesNotExist();
        assertThat(leftovers(root)).isEmpty();
    }

    @Test
    void aFullDiskLeavesTheOldFileWhole() throws Exception {
        assumeTrue(me().equals("root"), "needs root to mount a small tmpfs");
        layout();
        Path mount = Files.createDirectories(root.resolve("small"));
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "vaultcfg-full", mount.toString())
                .inheritIO().start().waitFor()).isZero();
        try {
            Path dir = Files.createDirectories(mount.resolve("vault.d"));
            Path target = Files.writeString(dir.resolve("vault.env"), "OLD=1\n");
            byte[] big = "X".repeat(200_000).getBytes(StandardCharsets.UTF_8);

            Run run = run("/bin/sh", write(target.toString(), big, Optional.empty(), Optional.empty(),
                    Optional.of("600")));

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("could not write the new " + target + " (disk full?); it is unchanged");
            assertThat(Files.readString(target)).isEqualTo("OLD=1\n");
            assertThat(leftovers(dir)).isEmpty();
        } finally {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor();
        }
    }

    private static void chown(String owner, Path path) throws IOException, InterruptedException {
        assertThat(new ProcessBuilder("chown", owner, path.toString()).inheritIO().start().waitFor()).isZero();
    }

    private static List<Path> leftovers(Path dir) throws IOException {
        try (Stream<Path> entries = Files.walk(dir)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(FileScripts.stagePrefix())
                    || p.getFileName().toString().startsWith(".vaultcfg.")).toList();
        }
    }
}
