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
record RotationKillPoint(String name, boolean seedUnheldKey, Optional<Answer> answer, Optional<RestartHold.When> restart,
                         int nth, boolean sessionsKilled) {

    /** What the run is known by before it starts: the key every node holds, the user, the nodes' own addresses. */
    record Before(String oldKeyId, String user, Set<String> nodeAddresses) {
    }

    interface Answer {
        BiPredicate<RequestLogEntry, AwsRequest> to(Before before);
    }

    @Override
    public String toString() {
        return name;
    }

    static List<RotationKillPoint> all(int nodes) {
        List<RotationKillPoint> points = new ArrayList<>();
        points.add(new RotationKillPoint("after deleting a key no host holds", true,
                Optional.of(b -> iam("DeleteAccessKey")), Optional.empty(), 0, false));
        points.add(answer("after CreateAccessKey", b -> iam("CreateAccessKey")));
        points.add(answer("after tagging the new key undelivered",
                b -> iam("TagUser").and(bodyHas(AccessKeyTags.UNDELIVERED_PREFIX))));
        points.add(answer("during the proof: after DescribeKey with the new key", b -> proof(b, "DescribeKey")));
        points.add(answer("during the proof: after Encrypt with the new key", b -> proof(b, "Encrypt")));
        points.add(answer("after the proof: after Decrypt with the new key", b -> proof(b, "Decrypt")));
        for (int nth = 1; nth <= nodes; nth++) {
            points.add(new RotationKillPoint("node " + nth + " of " + nodes + ": new vault.env written, before its restart", false,
                    Optional.empty(), Optional.of(RestartHold.When.BEFORE_RESTART), nth, false));
            points.add(new RotationKillPoint("node " + nth + " of " + nodes + ": after its restart", false,
                    Optional.empty(), Optional.of(RestartHold.When.AFTER_RESTART), nth, false));
        }
        points.add(answer("after the last node: the new key tagged as the fleet's",
                b -> iam("TagUser").and(bodyHas(AccessKeyTags.IN_USE)).and(bodyHas(b.oldKeyId()).negate())));
        points.add(answer("after the deactivation tag, before UpdateAccessKey",
                b -> iam("TagUser").and(bodyHas(AccessKeyTags.DEACTIVATED_PREFIX))));
        points.add(answer("after UpdateAccessKey", b -> iam("UpdateAccessKey")));
        points.add(new RotationKillPoint("node 1 of " + nodes + ": new vault.env written, the controller and the hosts' SSH "
                + "sessions killed before its restart", false, Optional.empty(), Optional.of(RestartHold.When.BEFORE_RESTART), 1, true));
        return points;
    }

    private static RotationKillPoint answer(String name, Answer answer) {
        return new RotationKillPoint(name, false, Optional.of(answer), Optional.empty(), 0, false);
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
