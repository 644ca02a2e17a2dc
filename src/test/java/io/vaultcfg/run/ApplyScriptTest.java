package io.vaultcfg.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.shell.FileScripts;
import io.vaultcfg.shell.ShellQuote;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The apply script built from a plan's steps, run by real dash and bash, and its output read back as step results. */
class ApplyScriptTest {
    private static final String MARKER = "@@vaultcfg-0123456789abcdef";

    @TempDir
    Path dir;

    private record Run(String stdout, String stderr) {
    }

    private static Step step(String task, String shell) {
        return Step.changed("did " + task, Optional.empty(), RemoteAction.of(shell)).named(task, "command", List.of());
    }

    private String touch(String name) {
        return "touch " + ShellQuote.quote(dir.resolve(name).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void runsTheStepsInOrderAndStopsAtTheFirstFailureWhichEndsTheStepItIsIn(String shell) throws Exception {
        List<Step> steps = List.of(
                Step.ok("already in sync").named("in-sync", "template", List.of()),
                step("first", touch("first") + "\necho first ran"),
                step("broken", "false\n" + touch("after-false-in-the-same-step")),
                step("never", touch("never")));
        ApplyScript apply = new ApplyScript(steps, MARKER);

        Run run = run(shell, apply.script());
        List<StepResult> results = apply.results(run.stdout(), run.stderr());

        assertThat(results).extracting(StepResult::task).containsExactly("in-sync", "first", "broken");
        assertThat(results).extracting(StepResult::status).containsExactly(StepStatus.OK, StepStatus.CHANGED, StepStatus.FAILED);
        assertThat(results.get(1).message()).isEqualTo("did first");
        assertThat(results.get(2).message()).isEqualTo("exit code 1");
        assertThat(dir.resolve("first")).exists();
        assertThat(dir.resolve("after-false-in-the-same-step")).as("set -e within a step").doesNotExist();
        assertThat(dir.resolve("never")).as("no step after a failure").doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void aStepsOutputReachesItsOutcomeReaderAndAFailureCarriesItsLastLines(String shell) throws Exception {
        RemoteAction.OutcomeReader reader = (planned, exitCode, output) ->
                new RemoteAction.Outcome(StepStatus.OK, "read <" + output + "> exit " + exitCode);
        Step reads = new Step("reads", "vault_status", StepStatus.OK, "check", Optional.empty(),
                Optional.of(new RemoteAction("printf 'no newline'", reader)), false, List.of());
        Step fails = step("fails", "echo one; echo two >&2; exit 3");
        ApplyScript apply = new ApplyScript(List.of(reads, fails), MARKER);

        Run run = run(shell, apply.script());
        List<StepResult> results = apply.results(run.stdout(), run.stderr());

        assertThat(results.get(0).message()).isEqualTo("read <no newline> exit 0");
        assertThat(results.get(1).status()).isEqualTo(StepStatus.FAILED);
        assertThat(results.get(1).message()).isEqualTo("exit code 3: one | two");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void fileWritesShareOneLibraryAndReadTheirContentFromTheirOwnInput(String shell) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] binary = {0, 1, 2, (byte) 0xff, '\n', '\'', '$'};
        byte[] text = "VAULTCFG_CONTENT\nA=1\n".getBytes(StandardCharsets.UTF_8);
        List<Step> steps = List.of(write("binary.bin", binary), write("vault.env", text));
        ApplyScript apply = new ApplyScript(steps, MARKER);
        String script = apply.script();

        Run run = run(shell, script);

        assertThat(apply.results(run.stdout(), run.stderr())).extracting(StepResult::status)
                .containsExactly(StepStatus.CHANGED, StepStatus.CHANGED);
        assertThat(Files.readAllBytes(dir.resolve("binary.bin"))).isEqualTo(binary);
        assertThat(Files.readAllBytes(dir.resolve("vault.env"))).isEqualTo(text);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("vault.env")))).isEqualTo("rw-------");
        String library = FileScripts.sharedLibrary(steps.stream().map(s -> s.action().orElseThrow().shell()).toList()).orElseThrow();
        assertThat(script.split(java.util.regex.Pattern.quote(library), -1)).as("the library once").hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void aSecretInputIsReadFromTheStagedDirectoryNeverFromTheScriptWhichRemovesTheDirectory(String shell) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        byte[] secret = "AWS_SECRET_ACCESS_KEY=apply-script-canary\n".getBytes(StandardCharsets.UTF_8);
        Path dest = dir.resolve("vault.env");
        Step write = new Step("env", "template", StepStatus.CHANGED, "create", Optional.empty(),
                Optional.of(RemoteAction.withInput(FileScripts.writeFile(dest.toString(), secret.length, Optional.empty(),
                        Optional.empty(), Optional.of("600")), secret, true)), false, List.of());
        ApplyScript apply = new ApplyScript(List.of(write), MARKER);
        Map<String, String> inputs = apply.secretInputs();
        Path staged = Files.createDirectory(dir.resolve("inputs"));
        inputs.forEach((id, base64) -> writeString(staged.resolve(id), base64));
        String script = apply.script(Optional.of(staged.toString()));

        Run run = run(shell, script);

        assertThat(inputs).containsOnlyKeys("s0");
        assertThat(script).doesNotContain(inputs.get("s0")).doesNotContain("apply-script-canary");
        assertThat(apply.results(run.stdout(), run.stderr())).extracting(StepResult::status).containsExactly(StepStatus.CHANGED);
        assertThat(Files.readAllBytes(dest)).isEqualTo(secret);
        assertThat(staged).as("removed when the script ends").doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void theScriptRunsToItsEndWhenNoOneReadsItsOutputAnyMore(String shell) throws Exception {
        ApplyScript apply = new ApplyScript(List.of(step("rename", touch("renamed")), step("restart", touch("restarted"))), MARKER);

        Process sh = new ProcessBuilder(shell, "-c", apply.script()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        sh.getInputStream().close();

        assertThat(sh.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(dir.resolve("renamed")).exists();
        assertThat(dir.resolve("restarted")).as("the restart a rename needs is never lost to a gone connection").exists();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/dash", "/bin/bash"})
    void aScriptKilledDuringAStepReportsItInterruptedAndTheRestNotRun(String shell) throws Exception {
        ApplyScript apply = new ApplyScript(List.of(step("first", touch("first")),
                step("killed", "kill -KILL $$"), step("never", touch("never"))), MARKER);

        Run run = run(shell, apply.script());
        List<StepResult> results = apply.results(run.stdout(), run.stderr());

        assertThat(results).extracting(StepResult::task).containsExactly("first", "killed");
        assertThat(results.get(1).status()).isEqualTo(StepStatus.FAILED);
        assertThat(results.get(1).message()).isEqualTo("the step was interrupted");
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void aPlanWithoutActionsHasNoWorkAndTheDeadlineIsTheSumOfTheStepsBudgets() {
        ApplyScript inSync = new ApplyScript(List.of(Step.ok("in sync"), Step.skipped("condition is false")), MARKER);
        ApplyScript work = new ApplyScript(List.of(Step.ok("in sync"),
                Step.changed("restart", Optional.empty(), RemoteAction.of("true").within(Duration.ofSeconds(190))),
                step("write", "true")), MARKER);

        assertThat(inSync.hasWork()).isFalse();
        assertThat(work.hasWork()).isTrue();
        assertThat(work.deadline()).isEqualTo(Duration.ofSeconds(190).plus(RemoteAction.DEFAULT_BUDGET));
    }

    private Step write(String name, byte[] content) {
        String shell = FileScripts.writeFile(dir.resolve(name).toString(), content.length, Optional.empty(), Optional.empty(),
                Optional.of("600"));
        return new Step(name, "template", StepStatus.CHANGED, "create " + name, Optional.empty(),
                Optional.of(RemoteAction.withInput(shell, content, false)), false, List.of());
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Run run(String shell, String script) throws IOException, InterruptedException {
        Process sh = new ProcessBuilder(shell, "-c", script).start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(sh.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(sh.getErrorStream()));
        if (!sh.waitFor(20, TimeUnit.SECONDS)) {
            sh.destroyForcibly();
            throw new AssertionError("the apply script hung");
        }
        return new Run(out.join(), err.join());
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
