package io.vaultcfg.module;

import io.vaultcfg.aws.AccessKeyTags;
import io.vaultcfg.aws.AwsApplier;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.Step;
import io.vaultcfg.plan.StepStatus;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The last step of a rotation, after the hosts ran: the old key is deactivated only when every targeted host
 * completed its tasks (new {@code vault.env}, restart, node unsealed) and, read again now, none holds the old key.
 * Otherwise it stays active, so no node is ever left holding a deactivated key; the same command run again finishes.
 */
final class RotatedKeyRetirement {
    private final AwsClients clients;
    private final Redactor redactor;

    RotatedKeyRetirement(AwsClients clients, Redactor redactor) {
        this.clients = clients;
        this.redactor = redactor;
    }

    List<Step> retire(String user, String fleetKey, Set<String> oldKeys, Map<String, String> envFiles, Set<String> succeeded,
                      Function<String, Optional<HostFacts>> reread) {
        String old = String.join(", ", oldKeys);
        List<String> unfinished = envFiles.keySet().stream().filter(host -> !succeeded.contains(host)).sorted().toList();
        if (!unfinished.isEmpty()) {
            return List.of(Step.ok("access key " + old + " stays active: " + String.join(", ", unfinished)
                    + " did not finish (or did not start) with " + fleetKey + "; run rotate-access-key again to finish"));
        }
        List<String> stillHolding = new ArrayList<>();
        envFiles.forEach((host, envFile) -> {
            Optional<HostFacts> facts = reread.apply(host);
            boolean holdsOld = facts.isEmpty() || FleetMembers.content(facts.get().file(envFile))
                    .flatMap(HeldCredentials::fromEnvFile).filter(pair -> oldKeys.contains(pair.accessKeyId())).isPresent();
            if (holdsOld) {
                stillHolding.add(host + (facts.isEmpty() ? " (cannot be read now)" : ""));
            }
        });
        if (!stillHolding.isEmpty()) {
            return List.of(Step.ok("access key " + old + " stays active: " + String.join(", ", stillHolding)
                    + " may still hold it; run rotate-access-key again to finish"));
        }
        AwsApplier applier = new AwsApplier(clients, redactor::add);
        List<Step> steps = new ArrayList<>();
        for (String id : oldKeys) {
            applier.deactivate(user, id);
            steps.add(new Step("", "", StepStatus.CHANGED, "deactivated access key " + id + " of " + user + ": every host holds "
                    + fleetKey + " and its node unsealed after the restart (tagged " + AccessKeyTags.DEACTIVATED_PREFIX + id
                    + "; a run after the grace period deletes it)", Optional.empty(), Optional.empty(), false, List.of()));
        }
        return steps;
    }
}
