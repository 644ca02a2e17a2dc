package io.vaultcfg.report;

import io.vaultcfg.run.ControllerResult;
import io.vaultcfg.run.HostResult;
import io.vaultcfg.run.RunEvent;
import io.vaultcfg.run.RunListener;
import io.vaultcfg.run.RunResult;
import io.vaultcfg.run.StepResult;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible-like console output, printed as each host finishes (a host's lines stay together even with
 * many hosts in parallel), then a PLAY RECAP. By default only what needs a reader's eye is listed:
 * changed, failed and unreachable hosts and tasks skipped for a reason other than a false
 * {@code when:}; the hosts with nothing to show are one count per play ("47 hosts in sync"), so the
 * few that differ stand out in a fleet. Verbose lists every task of every host.
 *
 * <p>The controller's lines are always listed: it is one entry per play, it names the AWS account
 * that was read, and its notes (an extra policy on the seal user, a host holding a key AWS rejects)
 * are warnings reported as "ok". They are labelled {@code controller}, or {@code [controller]} when a
 * host of the run is called {@code controller}.
 */
public final class ConsoleReporter implements RunListener {
    /** What the controller's lines are labelled; {@link #CONTROLLER_IF_TAKEN} when a host of the run has that name. */
    static final String CONTROLLER = "controller";
    static final String CONTROLLER_IF_TAKEN = "[controller]";

    private final PrintStream out;
    private final boolean verbose;
    private int hostWidth;
    private int hostsInSync;
    private String controllerLabel = CONTROLLER;
    private final Set<String> hostsSeen = new HashSet<>();

    public ConsoleReporter(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    @Override
    public synchronized void on(RunEvent event) {
        if (event instanceof RunEvent.PlayStarted started) {
            playStarted(started);
        } else if (event instanceof RunEvent.HostFinished finished) {
            hostFinished(finished.result());
        } else if (event instanceof RunEvent.ControllerFinished finished) {
            controllerFinished(finished.result());
        } else if (event instanceof RunEvent.RolloutPlanned rollout) {
            rolloutPlanned(rollout);
        } else if (event instanceof RunEvent.RunFinished finished) {
            runFinished(finished.result());
        }
    }

    private void playStarted(RunEvent.PlayStarted play) {
        printHostsInSync();
        hostsSeen.addAll(play.hosts());
        controllerLabel = controllerLabel(play.hosts());
        List<String> names = new ArrayList<>(play.hosts());
        if (play.controller()) {
            names.add(0, controllerLabel);
        }
        out.println();
        out.println(banner("PLAY [" + play.play() + "]" + (play.check() ? " (check mode)" : "")));
        hostWidth = names.stream().mapToInt(String::length).max().orElse(0);
        out.println(names.size() + (names.size() == 1 ? " host" : " hosts") + ": " + String.join(", ", abbreviate(names)));
    }

    /** Vault clusters found and the order their nodes go in (check mode: would go in). */
    private void rolloutPlanned(RunEvent.RolloutPlanned rollout) {
        for (RunEvent.ClusterRollout cluster : rollout.clusters()) {
            if (cluster.refusal().isPresent()) {
                out.printf("ROLLOUT | cluster %s refused: %s%n", cluster.name(), cluster.refusal().get());
            } else if (!cluster.nodes().isEmpty()) {
                out.printf("ROLLOUT | cluster %s, one node at a time%s: %s%n", cluster.name(),
                        rollout.check() ? " (would go in this order)" : "", String.join(" -> ", cluster.nodes()));
            }
        }
        // Standalone nodes alone are the ordinary fan-out: worth a line only beside a cluster's order.
        if (!rollout.standalone().isEmpty() && !rollout.clusters().isEmpty()) {
            out.printf("ROLLOUT | standalone nodes, side by side: %s%n", String.join(", ", abbreviate(rollout.standalone())));
        }
        out.flush();
    }

    /** "controller", unless an inventory host is called that: its lines and the AWS lines must not read alike. */
    private static String controllerLabel(Collection<String> hosts) {
        return hosts.contains(CONTROLLER) ? CONTROLLER_IF_TAKEN : CONTROLLER;
    }

    private void hostFinished(HostResult result) {
        StringBuilder block = new StringBuilder();
        if (result.unreachable()) {
            block.append(String.format("%s | UNREACHABLE | %s%n", pad(result.host()), result.error().orElse("")));
        }
        for (StepResult step : result.steps()) {
            if (verbose || worthALine(step)) {
                line(block, result.host(), step);
            }
        }
        if (!result.unreachable() && result.error().isPresent()) {
            block.append(String.format("%s | FAILED  | %s%n", pad(result.host()), result.error().get()));
        }
        if (block.isEmpty()) {
            hostsInSync++;
            return;
        }
        out.print(block);
        out.flush();
    }

    /** The controller's lines are always listed: it names the AWS account read, and its notes are warnings shown as "ok". */
    private void controllerFinished(ControllerResult result) {
        StringBuilder block = new StringBuilder();
        result.steps().forEach(step -> line(block, controllerLabel, step));
        result.error().ifPresent(error -> block.append(String.format("%s | FAILED  | %s%n", pad(controllerLabel), error)));
        out.print(block);
        out.flush();
    }

    private void line(StringBuilder block, String who, StepResult step) {
        block.append(String.format("%s | %-7s | %s: %s%n", pad(who), step.status().label(), step.task(), step.message()));
        step.diff().ifPresent(diff -> block.append(indent(diff)));
    }

    private void runFinished(RunResult result) {
        printHostsInSync();
        out.println();
        out.println(banner("PLAY RECAP"));
        Map<String, RunResult.Recap> recap = new LinkedHashMap<>();
        result.controllerRecap().ifPresent(counts -> recap.put(controllerLabel(hostsSeen), counts));
        recap.putAll(result.recap());
        int width = recap.keySet().stream().mapToInt(String::length).max().orElse(0);
        recap.forEach((host, counts) -> out.printf("%-" + width + "s : ok=%d changed=%d unreachable=%d failed=%d skipped=%d%n",
                host, counts.ok(), counts.changed(), counts.unreachable(), counts.failed(), counts.skipped()));
        out.println();
        out.println(summary(result));
        out.flush();
    }

    private static boolean worthALine(StepResult step) {
        return switch (step.status()) {
            case CHANGED, FAILED -> true;
            case SKIPPED -> !step.message().startsWith("condition is false");
            case OK -> false;
        };
    }

    /** Called where a play ends: before the next play's banner, and before the recap. */
    private void printHostsInSync() {
        if (hostsInSync > 0) {
            out.println(hostsInSync + (hostsInSync == 1 ? " host" : " hosts") + " in sync");
            hostsInSync = 0;
        }
    }

    private String pad(String host) {
        return host + " ".repeat(Math.max(0, hostWidth - host.length()));
    }

    static String summary(RunResult result) {
        if (result.anyFailure()) {
            return "Some hosts failed or were unreachable (exit code 1).";
        }
        if (result.check()) {
            return result.anyChange()
                    ? "Changes pending: run without --check to apply them (exit code 2)."
                    : "Everything is in sync (exit code 0).";
        }
        return result.anyChange() ? "Changes applied (exit code 0)." : "Nothing to change (exit code 0).";
    }

    private static String banner(String title) {
        return title + " " + "*".repeat(Math.max(3, 72 - title.length()));
    }

    private static List<String> abbreviate(List<String> hosts) {
        return hosts.size() <= 8 ? hosts : List.of(hosts.get(0), hosts.get(1), "... (" + (hosts.size() - 3) + " more)", hosts.get(hosts.size() - 1));
    }

    private static String indent(String diff) {
        StringBuilder text = new StringBuilder();
        diff.lines().forEach(line -> text.append("    ").append(line).append(System.lineSeparator()));
        return text.toString();
    }
}
