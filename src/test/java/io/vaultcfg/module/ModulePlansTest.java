package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.FileType;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.playbook.Task;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The built-in modules plan from typed facts, and one plan serves check and apply: a step carries what apply
 * runs and, where they differ, how check mode (which runs nothing) reports it.
 */
class ModulePlansTest {
    private static final String SEALED = "{\"initialized\":true,\"sealed\":true,\"type\":\"awskms\"}";
    private static final String UNSEALED = "{\"initialized\":true,\"sealed\":false,\"type\":\"awskms\",\"version\":\"2.6.2\"}";

    private static Action prepare(String module, Map<String, Object> args, Optional<Boolean> changedWhen) {
        Task task = new Task("t", module, args, Map.of(), List.of(), List.of(), Set.of(), Optional.empty(), changedWhen, false,
                "play.yml:3");
        return Modules.builtin().get(module).prepare(new TaskInput(task, args, Map.of(), new TemplateRenderer(List.of()),
                new Redactor()));
    }

    /** The facts the action wants, each answered: files by {@code files}, command facts by {@code commands} by type. */
    private static HostFacts answer(Action action, Map<String, FileState> files, Map<Class<?>, CommandOutput> commands) {
        Map<String, FileState> read = new HashMap<>();
        Map<CommandFact<?>, CommandOutput> outputs = new HashMap<>();
        action.facts().forEach(fact -> {
            if (fact instanceof FileFact file) {
                read.put(file.path(), files.getOrDefault(file.path(), FileState.MISSING));
            } else if (fact instanceof CommandFact<?> command) {
                outputs.put(command, commands.get(command.getClass()));
            }
        });
        return new HostFacts(read, outputs);
    }

    private static Step vaultStatus(String output, int exitCode, boolean restartPending) {
        return vaultStatus(output, exitCode, restartPending, false, "");
    }

    /**
     * The http probe's seal status is the role probe's {@code sys/seal-status} section: {@code output} and {@code exitCode}
     * are what a curl of it alone would have printed (127: no curl).
     *
     * @param roleProbe what the node-role probe printed (empty: only the seal status, as {@code output} says it)
     */
    private static Step vaultStatus(String output, int exitCode, boolean restartPending, boolean migrateSeal, String roleProbe) {
        Action check = prepare("vault_status", Map.of("address", "http://127.0.0.1:8200", "probe", "http",
                "migrate_seal", String.valueOf(migrateSeal)), Optional.empty());
        String probe = !roleProbe.isEmpty() ? roleProbe : exitCode == 127 ? "@@vc-role-no-curl\n"
                : "@@vc-role-endpoint seal-status\n" + output + "\n@@vc-role-http " + (exitCode == 0 ? "200" : "000")
                        + "\n@@vc-role-endpoint health\n\n@@vc-role-http 000\n@@vc-role-endpoint leader\n\n@@vc-role-http 000\n";
        HostFacts facts = answer(check, Map.of(), Map.of(NodeRoleFact.class, new CommandOutput(0, probe)));
        return check.plan(new PlanContext(facts, restartPending));
    }

    /** The node-role probe's output for answers captured from OpenBao 2.6.2 (src/test/resources/openbao-2.6.2). */
    private static String roleProbe(String fixture) throws java.io.IOException {
        io.vaultcfg.testing.RecordedAnswers answers = io.vaultcfg.testing.RecordedAnswers.load("openbao-2.6.2/" + fixture);
        return "@@vc-role-endpoint seal-status\n" + answers.sealStatus().body() + "\n@@vc-role-http " + answers.sealStatus().status()
                + "\n@@vc-role-endpoint health\n" + answers.health().body() + "\n@@vc-role-http " + answers.health().status()
                + "\n@@vc-role-endpoint leader\n" + answers.leader().body() + "\n@@vc-role-http " + answers.leader().status() + "\n";
    }

    @Test
    void withMigrateSealAShamirNodeAboutToRestartIsUnsealedWithTheKeysByTheRunnerNothingRunsForItOnTheHost() {
        Step step = vaultStatus("{\"initialized\":true,\"sealed\":false,\"type\":\"shamir\"}", 0, true, true, "");

        assertThat(step.status()).isEqualTo(StepStatus.CHANGED);
        assertThat(step.action()).as("no status poll: the runner sends the keys, then waits for the node").isEmpty();
        assertThat(step.message()).isEqualTo("seal migration: unsealed with the unseal keys (migrate) after its restart on the new seal");
        assertThat(step.preview()).isEqualTo(new Step.Preview(StepStatus.CHANGED,
                "seal migration: would be unsealed with the unseal keys (migrate) after its restart on the new seal"));
        assertThat(SealMigrationStep.isIn(new io.vaultcfg.plan.HostPlan("h", List.of(step)))).isTrue();
    }

    @Test
    void withMigrateSealANodeThatDoesNotAnswerAndIsToRestartIsCheckedByTheRunnerAfterItsRestart() {
        Step step = vaultStatus("curl: (7) Failed to connect", 7, true, true, "");

        assertThat(step.status()).isEqualTo(StepStatus.CHANGED);
        assertThat(step.action()).as("no poll on the host: it may come back sealed in a migration, waiting for the keys").isEmpty();
        assertThat(step.message()).isEqualTo("seal migration: unsealed with the unseal keys (migrate) if it comes back in a seal "
                + "migration after its restart");
        assertThat(vaultStatus("curl: (7) Failed to connect", 7, true, false, "").action()).as("without --migrate-seal").isPresent();
    }

    @Test
    void aNodeSealedInASealMigrationIsUnsealedWithTheKeysWithMigrateSealAndRefusedWithout() throws Exception {
        String sealedStatus = "{\"initialized\":true,\"sealed\":true,\"type\":\"awskms\",\"migration\":true}";
        String migrating = roleProbe("raft-awskms-sealed").replace("\"migration\":false", "\"migration\":true");

        Step with = vaultStatus(sealedStatus, 0, false, true, migrating);
        Step without = vaultStatus(sealedStatus, 0, false, false, migrating);

        assertThat(with.status()).isEqualTo(StepStatus.CHANGED);
        assertThat(with.message()).isEqualTo("seal migration: unsealed with the unseal keys (migrate) sealed in a seal migration");
        assertThat(without.status()).isEqualTo(StepStatus.FAILED);
        assertThat(without.message()).contains("sealed in a seal migration", "--migrate-seal");
    }

    @Test
    void aStandbyUnsealedWithMigrateWhoseSealStatusAnswers500IsUnsealed() throws Exception {
        String answer500 = "{\"errors\":[\"barrier seal type of \\\"shamir\\\" does not match loaded type of \\\"awskms\\\"\"]}";

        Step step = vaultStatus(answer500, 0, false, true, roleProbe("raft-awskms-migrated-standby"));

        assertThat(step.status()).isEqualTo(StepStatus.OK);
        assertThat(step.message()).startsWith("standby (awskms, recovery seal, seal migration in progress)");
        assertThat(SealMigrationStep.isIn(new io.vaultcfg.plan.HostPlan("h", List.of(step)))).isFalse();
    }

    @Test
    void aSealedNodeIsWaitedForByApplyAndReportedSealedByCheck() {
        Step step = vaultStatus(SEALED, 0, false);

        assertThat(step.status()).isEqualTo(StepStatus.OK);
        assertThat(step.message()).isEqualTo("check status (sealed, waiting)");
        assertThat(step.action()).isPresent();
        assertThat(step.preview()).isEqualTo(new Step.Preview(StepStatus.FAILED, "sealed (seal type awskms)"));
    }

    @Test
    void aRestartPendingIsWaitedForByApplyAndShownAsRunningAfterTheRestartByCheck() {
        Step step = vaultStatus(UNSEALED, 0, true);

        assertThat(step.message()).isEqualTo("check status (after restart)");
        assertThat(step.action()).isPresent();
        assertThat(step.preview()).isEqualTo(new Step.Preview(StepStatus.SKIPPED, "runs after restart"));
    }

    @Test
    void anUnsealedNodeIsTheSameInBothReadingsAndAMissingProbeFailsBoth() {
        Step unsealed = vaultStatus(UNSEALED, 0, false);
        Step missing = vaultStatus("sh: 1: curl: not found", 127, false);

        assertThat(unsealed.preview()).isEqualTo(new Step.Preview(StepStatus.OK, "unsealed (seal type awskms, version 2.6.2)"));
        assertThat(unsealed.action()).isEmpty();
        assertThat(missing.status()).isEqualTo(StepStatus.FAILED);
        assertThat(missing.preview().status()).isEqualTo(StepStatus.FAILED);
    }

    @Test
    void aShamirNodeAboutToRestartIsRefusedInBothReadings() {
        Step step = vaultStatus("{\"initialized\":true,\"sealed\":false,\"type\":\"shamir\"}", 0, true);

        assertThat(step.status()).isEqualTo(StepStatus.FAILED);
        assertThat(step.preview().status()).isEqualTo(StepStatus.FAILED);
        assertThat(step.action()).isEmpty();
    }

    @Test
    void aCommandRunsInApplyAndWouldRunInCheckOrIsSkippedThereWhenItChangesNothing() {
        Map<String, Object> args = Map.of("argv", List.of("vault", "operator", "init"));
        Action reports = prepare("command", args, Optional.empty());
        Action quiet = prepare("command", args, Optional.of(false));

        Step changed = reports.plan(new PlanContext(HostFacts.NONE, false));
        Step ok = quiet.plan(new PlanContext(HostFacts.NONE, false));

        assertThat(changed.status()).isEqualTo(StepStatus.CHANGED);
        assertThat(changed.message()).isEqualTo("run vault operator init");
        assertThat(changed.action().orElseThrow().shell()).isEqualTo("vault operator init");
        assertThat(changed.preview()).isEqualTo(new Step.Preview(StepStatus.CHANGED, "would run vault operator init"));
        assertThat(ok.status()).isEqualTo(StepStatus.OK);
        assertThat(ok.action()).isPresent();
        assertThat(ok.preview()).isEqualTo(new Step.Preview(StepStatus.SKIPPED, "not run in check mode"));
    }

    @Test
    void aServiceIsStartedOnlyWhenTheServiceFactSaysItIsNotActive() {
        Action start = prepare("systemd", Map.of("name", "vault", "state", "started"), Optional.empty());

        HostFacts stopped = answer(start, Map.of(), Map.of(ServiceFact.class, new CommandOutput(3, "inactive")));
        HostFacts running = answer(start, Map.of(), Map.of(ServiceFact.class, new CommandOutput(0, "active")));

        Step inactive = start.plan(new PlanContext(stopped, false));
        Step active = start.plan(new PlanContext(running, false));

        assertThat(start.facts()).containsExactly(new ServiceFact("vault"));
        assertThat(inactive.message()).isEqualTo("start vault");
        assertThat(active.status()).isEqualTo(StepStatus.OK);
    }

    private static FileState directory(String mode) {
        return new FileState(FileType.DIRECTORY, FileMode.parse(mode), "root", "root", Optional.empty());
    }

    /** {@code file: path=/etc/vault.d mode=0750} planned with / and /etc root's 755, root running the script. */
    private static Step planDirectory(String path, FileState state) {
        Action directory = prepare("file", Map.of("path", "/etc/vault.d", "mode", "0750"), Optional.empty());
        Map<String, FileState> files = new HashMap<>(Map.of("/", directory("755"), "/etc", directory("755")));
        files.put(path, state);
        HostFacts facts = answer(directory, files, Map.of(ScriptUserFact.class, new CommandOutput(0, "root\n")));
        return directory.plan(new PlanContext(facts, false));
    }

    @Test
    void aDirectoryIsJudgedByItsTypedTypeAndModeNotByStatWords() {
        Step drift = planDirectory("/etc/vault.d", directory("755"));
        Step inSync = planDirectory("/etc/vault.d", new FileState(FileType.DIRECTORY, new FileMode(0750), "root", "root",
                Optional.empty()));
        Step link = planDirectory("/etc/vault.d", new FileState(FileType.SYMLINK, FileMode.parse("777"), "root", "root",
                Optional.empty()));
        Step stickyParent = planDirectory("/etc", directory("1777"));
        Step groupWritableParent = planDirectory("/etc", directory("775"));

        assertThat(drift.message()).isEqualTo("/etc/vault.d: mode 755 -> 750");
        assertThat(inSync.status()).isEqualTo(StepStatus.OK);
        assertThat(link.message()).isEqualTo("/etc/vault.d exists but is a symbolic link, not a directory");
        assertThat(stickyParent.status()).as("a sticky directory is trusted").isEqualTo(StepStatus.CHANGED);
        assertThat(groupWritableParent.message()).startsWith("refused: /etc is writable by group or others");
    }
}
