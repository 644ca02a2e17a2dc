package io.vaultcfg.fleet;

import io.vaultcfg.aws.AccessKeyTags;
import io.vaultcfg.aws.emulator.request.AwsRequest;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * One step of {@code rotate-access-key} after which its controller is killed: either the emulator's answer to a request
 * of the step (held back once the request took effect, so the controller dies knowing nothing of it) or the {@code nth}
 * node's restart in rollout order (held on the host, before or after the restart).
 *
 * @param seedUnheldKey  a key no host holds is made before the run, so its first step deletes it
 * @param sessionsKilled the hosts' SSH sessions are killed with the controller (a host with logind's
 *                       {@code KillUserProcesses=yes}), not only the connections: the apply script dies where it is held
 */
record RotationKillPoint(String name, Stage stage, boolean seedUnheldKey, Optional<Answer> answer,
                         Optional<RestartHold.When> restart, int nth, boolean sessionsKilled) {

    /** Where the run is when killed, so the test checks it was killed there: how many nodes hold the new key by then. */
    enum Stage {
        /** no node holds the new key yet */
        BEFORE_ROLLOUT,
        /** the first {@code nth} nodes hold it (the held node's script goes on after the kill, or dies with its session) */
        IN_ROLLOUT,
        /** every node holds it, the old key is still active */
        AFTER_ROLLOUT,
        /** every node holds it, the old key is inactive */
        AFTER_DEACTIVATION
    }

    /** What the run is known by before it starts: the key every node holds, the user, the nodes' own addresses. */
    record Before(String oldKeyId, String user, Set<String> nodeAddresses) {
    }

    interface Answer {
        BiPredicate<RequestLogEntry, AwsRequest> to(Before before);
    }

    /** How many of {@code nodes} hold the new key once the run was killed here. */
    int nodesOnTheNewKey(int nodes) {
        return switch (stage) {
            case BEFORE_ROLLOUT -> 0;
            case IN_ROLLOUT -> nth;
            case AFTER_ROLLOUT, AFTER_DEACTIVATION -> nodes;
        };
    }

    @Override
    public String toString() {
        return name;
    }

    static List<RotationKillPoint> all(int nodes) {
        List<RotationKillPoint> points = new ArrayList<>();
        points.add(new RotationKillPoint("after deleting a key no host holds", Stage.BEFORE_ROLLOUT, true,
                Optional.of(b -> iam("DeleteAccessKey")), Optional.empty(), 0, false));
        points.add(answer("after CreateAccessKey", Stage.BEFORE_ROLLOUT, b -> iam("CreateAccessKey")));
        points.add(answer("after tagging the new key undelivered", Stage.BEFORE_ROLLOUT,
                b -> iam("TagUser").and(bodyHas(AccessKeyTags.UNDELIVERED_PREFIX))));
        points.add(answer("during the proof: after DescribeKey with the new key", Stage.BEFORE_ROLLOUT, b -> proof(b, "DescribeKey")));
        points.add(answer("during the proof: after Encrypt with the new key", Stage.BEFORE_ROLLOUT, b -> proof(b, "Encrypt")));
        points.add(answer("after the proof: after Decrypt with the new key", Stage.BEFORE_ROLLOUT, b -> proof(b, "Decrypt")));
        for (int nth = 1; nth <= nodes; nth++) {
            points.add(new RotationKillPoint("node " + nth + " of " + nodes + ": new vault.env written, before its restart", Stage.IN_ROLLOUT, false,
                    Optional.empty(), Optional.of(RestartHold.When.BEFORE_RESTART), nth, false));
            points.add(new RotationKillPoint("node " + nth + " of " + nodes + ": after its restart", Stage.IN_ROLLOUT, false,
                    Optional.empty(), Optional.of(RestartHold.When.AFTER_RESTART), nth, false));
        }
        points.add(answer("after the last node: the new key tagged as the fleet's", Stage.AFTER_ROLLOUT,
                b -> iam("TagUser").and(bodyHas(AccessKeyTags.IN_USE)).and(bodyHas(b.oldKeyId()).negate())));
        points.add(answer("after the deactivation tag, before UpdateAccessKey", Stage.AFTER_ROLLOUT,
                b -> iam("TagUser").and(bodyHas(AccessKeyTags.DEACTIVATED_PREFIX))));
        points.add(answer("after UpdateAccessKey", Stage.AFTER_DEACTIVATION, b -> iam("UpdateAccessKey")));
        points.add(new RotationKillPoint("node 1 of " + nodes + ": new vault.env written, the controller and the hosts' SSH "
                + "sessions killed before its restart", Stage.IN_ROLLOUT, false, Optional.empty(), Optional.of(RestartHold.When.BEFORE_RESTART), 1, true));
        return points;
    }

    private static RotationKillPoint answer(String name, Stage stage, Answer answer) {
        return new RotationKillPoint(name, stage, false, Optional.of(answer), Optional.empty(), 0, false);
    }

    private static BiPredicate<RequestLogEntry, AwsRequest> iam(String action) {
        return (entry, request) -> "iam".equals(entry.service()) && action.equals(entry.action()) && entry.succeeded();
    }

    /** The controller's proof of the new key: signed by the seal user with another key than the old, not from a node. */
    private static BiPredicate<RequestLogEntry, AwsRequest> proof(Before before, String action) {
        return (entry, request) -> "kms".equals(entry.service()) && action.equals(entry.action()) && entry.succeeded()
                && entry.callerArn() != null && entry.callerArn().endsWith(":user/" + before.user())
                && !before.oldKeyId().equals(entry.accessKeyId()) && !before.nodeAddresses().contains(entry.sourceAddress());
    }

    private static BiPredicate<RequestLogEntry, AwsRequest> bodyHas(String text) {
        return (entry, request) -> URLDecoder.decode(new String(request.body(), StandardCharsets.UTF_8), StandardCharsets.UTF_8)
                .toLowerCase(java.util.Locale.ROOT).contains(text.toLowerCase(java.util.Locale.ROOT));
    }
}
