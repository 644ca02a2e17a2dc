package io.vaultcfg.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * "The fleet is the store": the access key secret lives only on the hosts. A pair some host holds
 * that is an Active key of the user and that AWS accepts is the key; a new one is made only when no
 * host holds a working pair, and never a third.
 *
 * <p>Keys are created, deactivated or deleted only when every host of the play was read in this run
 * (or named as forgotten): an unread host may hold the key in use. A key no host holds is first
 * deactivated and deleted by a later run; a key created but never delivered (its secret is lost) is
 * deleted outright. The user's tags ({@link AccessKeyTags}) carry what a later run needs.
 */
public final class AccessKeyResolver {
    private AccessKeyResolver() {
    }

    /**
     * @param reuse   the verified pair every host should hold
     * @param create  a new key is needed (made after {@code changes})
     * @param changes deletions, deactivations and tags, in order, before any new key
     * @param stop    why the run must stop before changing anything
     */
    public record Resolution(Optional<HeldCredentials> reuse, boolean create, List<AwsChange> changes,
                             Optional<String> stop, List<String> notes) {
        static Resolution stop(String why, List<String> notes) {
            return new Resolution(Optional.empty(), false, List.of(), Optional.of(why), notes);
        }
    }

    /** @param verifies a signed call with the pair succeeds (e.g. kms:DescribeKey on the key) */
    public static Resolution resolve(String userName, List<AwsState.AccessKey> userKeys, AccessKeyTags tags,
                                     List<FleetMember> fleet, Predicate<HeldCredentials> verifies) {
        return resolve(userName, userKeys, tags, fleet, verifies, KeyRotation.none());
    }

    /**
     * @param rotation whether the key in use is to be replaced, and the grace period of a deactivated key (kept, while
     *                 the fleet has a working key, until it ends)
     */
    public static Resolution resolve(String userName, List<AwsState.AccessKey> userKeys, AccessKeyTags tags,
                                     List<FleetMember> fleet, Predicate<HeldCredentials> verifies, KeyRotation rotation) {
        Set<String> activeIds = userKeys.stream().filter(AwsState.AccessKey::active).map(AwsState.AccessKey::id)
                .collect(Collectors.toSet());
        Map<HeldCredentials, List<String>> holders = new LinkedHashMap<>();
        for (FleetMember member : fleet) {
            member.held().ifPresent(p -> holders.computeIfAbsent(p, k -> new ArrayList<>()).add(member.name()));
        }
        Map<String, List<String>> holdersById = new LinkedHashMap<>();
        holders.forEach((pair, hosts) -> holdersById.computeIfAbsent(pair.accessKeyId(), k -> new ArrayList<>()).addAll(hosts));

        List<HeldCredentials> verified = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (Map.Entry<HeldCredentials, List<String>> entry : holders.entrySet()) {
            HeldCredentials pair = entry.getKey();
            String hosts = String.join(", ", entry.getValue());
            if (!activeIds.contains(pair.accessKeyId())) {
                notes.add(hosts + ": hold access key " + pair.accessKeyId() + ", which is not an active key of " + userName);
            } else if (verifies.test(pair)) {
                verified.add(pair);
            } else {
                notes.add(hosts + ": hold access key " + pair.accessKeyId() + " with a secret AWS rejects");
            }
        }
        List<FleetMember> unread = fleet.stream().filter(m -> !m.isRead() && !m.forgotten()).toList();
        List<FleetMember> forgotten = fleet.stream().filter(m -> !m.isRead() && m.forgotten()).toList();
        if (!forgotten.isEmpty()) {
            notes.add(names(forgotten) + ": not read and forgotten (vaultcfg_forget_hosts): the access keys they may hold "
                    + "are not protected");
        }

        if (rotation.rotate() && !unread.isEmpty()) {
            return Resolution.stop("rotating the access key needs every host of the play read, but " + unreadExplained(unread)
                    + ": an unread host would be left on the old key. " + howToProceed(unread), notes);
        }
        Map<String, AwsState.AccessKey> byId = new LinkedHashMap<>();
        userKeys.forEach(key -> byId.put(key.id(), key));
        // A rotation cut off part-way left some hosts on the new key: the newest working key is the one to finish on.
        Comparator<HeldCredentials> preferred = rotation.rotate()
                ? Comparator.comparing((HeldCredentials p) -> byId.get(p.accessKeyId()).created())
                : Comparator.comparing((HeldCredentials p) -> tags.inUse().filter(p.accessKeyId()::equals).isPresent())
                        .thenComparingInt(p -> holders.get(p).size());
        Optional<HeldCredentials> chosen = verified.stream().max(preferred);
        List<AwsChange> changes = new ArrayList<>();
        if (chosen.isPresent()) {
            HeldCredentials key = chosen.get();
            for (FleetMember member : fleet) {
                if (member.isRead() && member.targeted() && member.held().isEmpty()) {
                    notes.add(member.name() + ": holds no access key; will receive " + key.accessKeyId());
                } else if (member.isRead() && member.targeted() && !member.held().get().equals(key)) {
                    notes.add(member.name() + ": will receive " + key.accessKeyId() + " instead of " + member.held().get().accessKeyId());
                }
            }
            if (!tags.inUse().equals(Optional.of(key.accessKeyId()))) {
                changes.add(new AwsChange.TagUser(userName, Map.of(AccessKeyTags.IN_USE, key.accessKeyId()),
                        "the fleet uses access key " + key.accessKeyId()));
            }
            if (tags.undelivered().containsKey(key.accessKeyId())) {
                changes.add(new AwsChange.UntagUser(userName, tags.tagKeysOf(key.accessKeyId()),
                        "access key " + key.accessKeyId() + " was delivered"));
            }
        } else {
            if (!unread.isEmpty()) {
                return Resolution.stop("a new access key is needed (no host that was read holds a working one), but "
                        + unreadExplained(unread) + ". vaultcfg creates or deletes access keys only when every host of "
                        + "the play was read: an unread host may hold the key the fleet uses"
                        + tags.inUse().map(id -> " (" + id + ", as tagged on " + userName + ")").orElse("")
                        + ". " + howToProceed(unread), notes);
            }
            if (fleet.stream().noneMatch(m -> m.isRead() && m.targeted())) {
                return Resolution.stop("a new access key is needed, but no targeted host can receive it (none was read); "
                        + "its secret would be lost. Run with hosts that can be reached", notes);
            }
        }

        if (!unread.isEmpty()) {
            if (userKeys.size() > 1) {
                notes.add("retiring other access keys waits until every host is read (" + names(unread) + " not read)");
            }
            return new Resolution(chosen, false, List.copyOf(changes), Optional.empty(), notes);
        }
        int slotsFreed = 0;
        List<AwsState.AccessKey> others = userKeys.stream()
                .filter(k -> chosen.map(c -> !c.accessKeyId().equals(k.id())).orElse(true)).toList();
        List<String> activeUnheld = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        Optional<Instant> chosenCreated = chosen.map(c -> byId.get(c.accessKeyId()).created());
        for (AwsState.AccessKey key : others) {
            List<String> hosts = holdersById.getOrDefault(key.id(), List.of());
            Optional<Instant> deactivatedAt = Optional.ofNullable(tags.deactivated().get(key.id()));
            if (!hosts.isEmpty()) {
                notes.add("access key " + key.id() + " is still held by " + String.join(", ", hosts)
                        + (rotation.rotate() && chosen.isPresent()
                        ? "; they receive " + chosen.get().accessKeyId() + ", then it is deactivated"
                        : "; it is retired once no host holds it"));
                kept.add(key.id());
            } else if (rotation.rotate() && key.active() && chosenCreated.filter(key.created()::isAfter).isPresent()) {
                changes.add(new AwsChange.DeleteAccessKey(userName, key.id(), "newer than the key in use and held by no "
                        + "host: made by a rotation cut off before any host received it, its secret is lost",
                        tags.tagKeysOf(key.id())));
                slotsFreed++;
            } else if (!key.active() && chosen.isPresent() && deactivatedAt.filter(rotation::inGrace).isPresent()) {
                notes.add("access key " + key.id() + " (deactivated at " + deactivatedAt.get() + ") is kept until its grace "
                        + "period ends at " + rotation.graceEnds(deactivatedAt.get()) + ", then a run deletes it");
                kept.add(key.id());
            } else if (tags.undelivered().containsKey(key.id())) {
                changes.add(new AwsChange.DeleteAccessKey(userName, key.id(),
                        "created by an earlier run that was cut off before any host received it: its secret is lost",
                        tags.tagKeysOf(key.id())));
                slotsFreed++;
            } else if (!key.active()) {
                changes.add(new AwsChange.DeleteAccessKey(userName, key.id(), tags.deactivated().containsKey(key.id())
                        ? "deactivated by an earlier run at " + tags.deactivated().get(key.id()) + "; no host holds it"
                        : "inactive; no host holds it", tags.tagKeysOf(key.id())));
                slotsFreed++;
            } else {
                changes.add(new AwsChange.DeactivateAccessKey(userName, key.id(), "no host holds it"));
                activeUnheld.add(key.id());
                kept.add(key.id());
            }
        }
        if (rotation.rotate() && chosen.isPresent()) {
            return AccessKeyRotation.decide(byId.get(chosen.get().accessKeyId()), chosen.get(), kept, changes,
                    notes, rotation);
        }
        if (tags.inUse().isPresent() && userKeys.stream().noneMatch(k -> k.id().equals(tags.inUse().get()))
                && chosen.isEmpty()) {
            notes.add("access key " + tags.inUse().get() + ", tagged as the fleet's, no longer exists");
        }
        if (chosen.isEmpty() && userKeys.size() - slotsFreed >= 2) {
            Set<String> heldIds = holdersById.keySet();
            String keys = userKeys.stream().map(AwsState.AccessKey::id).collect(Collectors.joining(", "));
            if (!activeUnheld.isEmpty()) {
                return Resolution.stop("a new access key is needed, but " + userName + " already has 2 keys (" + keys
                        + ") and vaultcfg deletes a key only in a run after it deactivated it. " + String.join(", ", activeUnheld)
                        + " is held by no host: deactivate it (aws iam update-access-key --user-name " + userName
                        + " --access-key-id " + activeUnheld.get(0) + " --status Inactive) if nothing else uses it, then run "
                        + "again", notes);
            }
            return Resolution.stop("a new access key is needed, but " + userName + " already has 2 keys ("
                    + String.join(", ", heldIds) + ") and hosts hold both; none of them works. Fix or "
                    + "remove one by hand (aws iam delete-access-key --user-name " + userName + " --access-key-id <id>), "
                    + "then run again", notes);
        }
        return new Resolution(chosen, chosen.isEmpty(), List.copyOf(changes), Optional.empty(), notes);
    }

    static String names(List<FleetMember> members) {
        return members.stream().map(FleetMember::name).collect(Collectors.joining(", "));
    }

    static String unreadExplained(List<FleetMember> unread) {
        return unread.stream().map(m -> m.name() + " (" + m.unread().orElse("") + ")")
                .collect(Collectors.joining(", ")) + (unread.size() == 1 ? " was" : " were") + " not read in this run";
    }

    /** The explicit ways forward when hosts could not be read. */
    static String howToProceed(List<FleetMember> unread) {
        return "Make " + names(unread) + " reachable and run again; for a host gone for good, remove it from the inventory "
                + "or name it: -e vaultcfg_forget_hosts=" + unread.stream().map(FleetMember::name).collect(Collectors.joining(","))
                + " (the key it holds may then be retired)";
    }
}
