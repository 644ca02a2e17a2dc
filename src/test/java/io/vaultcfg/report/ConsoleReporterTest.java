package io.vaultcfg.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a reader sees: by default only what differs, hosts in sync as a count; verbose shows every task. */
class ConsoleReporterTest {
    static final String PLAY = "p";

    static StepResult step(String task, StepStatus status, String message) {
        return new StepResult(task, "file", status, message, Optional.empty());
    }

    static HostResult inSync(String host) {
        return new HostResult(PLAY, host, false, List.of(step("dir", StepStatus.OK, "in sync"),
                step("aws", StepStatus.SKIPPED, "condition is false: manage_aws")), Optional.empty());
    }

    static final HostResult CHANGED = new HostResult(PLAY, "web-2", false, List.of(
            step("dir", StepStatus.OK, "in sync"),
            new StepResult("env", "template", StepStatus.CHANGED, "would update /etc/app.env",
                    Optional.of("--- before\n+++ after\n-A=1\n+A=2")),
            step("probe", StepStatus.SKIPPED, "runs after restart")), Optional.empty());
    static final HostResult SKIPPED_FOR_A_REASON = new HostResult(PLAY, "web-3", false, List.of(
            step("dir", StepStatus.OK, "in sync"), step("migrate", StepStatus.SKIPPED, "not run in check mode")),
            Optional.empty());
    static final HostResult FAILED = new HostResult(PLAY, "web-4", false, List.of(
            step("dir", StepStatus.OK, "in sync"), step("seal", StepStatus.FAILED, "node uses Shamir")),
            Optional.of("nothing was changed on this host"));
    static final HostResult UNREACHABLE = new HostResult(PLAY, "web-5", true, List.of(),
            Optional.of("connection refused"));

    List<HostResult> fleet() {
        List<HostResult> hosts = new ArrayList<>();
        for (int i = 0; i < 47; i++) {
            hosts.add(inSync("in-sync-" + i));
        }
        hosts.addAll(List.of(CHANGED, SKIPPED_FOR_A_REASON, FAILED, UNREACHABLE));
        return hosts;
    }

    static String render(List<HostResult> hosts, boolean verbose) {
        return render(hosts, Optional.empty(), verbose);
    }

    static String render(List<HostResult> hosts, Optional<ControllerResult> controller, boolean verbose) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), verbose);
        reporter.on(new RunEvent.PlayStarted(PLAY, hosts.stream().map(HostResult::host).toList(), controller.isPresent(), true));
        controller.ifPresent(result -> reporter.on(new RunEvent.ControllerFinished(result)));
        hosts.forEach(host -> reporter.on(new RunEvent.HostFinished(host)));
        reporter.on(new RunEvent.RunFinished(RunResult.of(true, hosts, controller.stream().toList())));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static List<String> beforeRecap(String output) {
        return output.substring(0, output.indexOf("PLAY RECAP")).lines().toList();
    }

    @Test
    void byDefaultOnlyWhatDiffersIsListedAndHostsInSyncAreOneCount() {
        String output = render(fleet(), false);

        assertThat(beforeRecap(output)).containsExactly(
                "",
                "PLAY [p] (check mode) " + "*".repeat(51),
                "51 hosts: in-sync-0, in-sync-1, ... (48 more), web-5",
                "web-2      | changed | env: would update /etc/app.env",
                "    --- before",
                "    +++ after",
                "    -A=1",
                "    +A=2",
                "web-2      | skipped | probe: runs after restart",
                "web-3      | skipped | migrate: not run in check mode",
                "web-4      | failed  | seal: node uses Shamir",
                "web-4      | FAILED  | nothing was changed on this host",
                "web-5      | UNREACHABLE | connection refused",
                "47 hosts in sync",
                "");
        // the recap still has every host, the in-sync ones included
        assertThat(output).contains("in-sync-46 : ok=1 changed=0 unreachable=0 failed=0 skipped=1",
                "web-5      : ok=0 changed=0 unreachable=1 failed=0 skipped=0");
    }

    @Test
    void verboseShowsEveryTaskOfEveryHostAndCollapsesNothing() {
        String output = render(fleet(), true);

        assertThat(output).contains(
                "in-sync-0  | ok      | dir: in sync",
                "in-sync-46 | skipped | aws: condition is false: manage_aws",
                "web-2      | ok      | dir: in sync",
                "web-2      | changed | env: would update /etc/app.env",
                "web-3      | skipped | migrate: not run in check mode");
        assertThat(output).doesNotContain("hosts in sync");
    }

    @Test
    void theControllersLinesAreAlwaysListedSinceItsNotesAreWarnings() {
        ControllerResult controller = new ControllerResult(PLAY, List.of(
                step("aws", StepStatus.OK, "AWS account 123456789012 as arn:aws:iam::123456789012:root"),
                step("aws", StepStatus.OK, "IAM user vault also has policy arn:aws:iam::123456789012:policy/extra attached"),
                step("aws", StepStatus.OK, "in sync: key k (rotation on)")), Optional.empty());

        String output = render(List.of(inSync("web-1"), inSync("web-2")), Optional.of(controller), false);

        assertThat(beforeRecap(output)).containsSubsequence(
                "controller | ok      | aws: AWS account 123456789012 as arn:aws:iam::123456789012:root",
                "controller | ok      | aws: IAM user vault also has policy arn:aws:iam::123456789012:policy/extra attached",
                "controller | ok      | aws: in sync: key k (rotation on)",
                "2 hosts in sync");
    }

    @Test
    void eachPlayGetsItsOwnCountBeforeTheNextPlayStarts() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter reporter = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        reporter.on(new RunEvent.PlayStarted("first", List.of("a", "b"), false, false));
        reporter.on(new RunEvent.HostFinished(inSync("a")));
        reporter.on(new RunEvent.HostFinished(inSync("b")));
        reporter.on(new RunEvent.PlayStarted("second", List.of("a"), false, false));
        reporter.on(new RunEvent.HostFinished(inSync("a")));
        reporter.on(new RunEvent.RunFinished(RunResult.of(false, List.of(inSync("a"), inSync("b"), inSync("a")), List.of())));

        String output = bytes.toString(StandardCharsets.UTF_8);
        assertThat(output).containsSubsequence("PLAY [first]", "2 hosts in sync", "PLAY [second]", "1 host in sync",
                "PLAY RECAP", "Nothing to change (exit code 0).");
    }

    @Test
    void whenAHostIsCalledControllerTheControllersLinesAreLabelledApart() {
        ControllerResult controller = new ControllerResult(PLAY, List.of(step("aws", StepStatus.OK, "in sync")), Optional.empty());
        HostResult host = new HostResult(PLAY, "controller", false, List.of(step("dir", StepStatus.CHANGED, "create /x")),
                Optional.empty());

        String output = render(List.of(host), Optional.of(controller), false);

        assertThat(beforeRecap(output)).contains("2 hosts: [controller], controller", "[controller] | ok      | aws: in sync",
                "controller   | changed | dir: create /x");
        assertThat(output.substring(output.indexOf("PLAY RECAP"))).contains("[controller] : ok=1 changed=0",
                "controller   : ok=0 changed=1");
    }
}
