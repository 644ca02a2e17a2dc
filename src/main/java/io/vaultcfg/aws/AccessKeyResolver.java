package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * "The fleet is the store": the access key secret lives only on the hosts. A pair some host holds
 * that is an Active key of the user and that AWS accepts is the key; a new one is made only when no
 * host holds a working pair, and never a third.
 */
public final class AccessKeyResolver {
    private AccessKeyResolver() {
    }

    /**
     * @param reuse       the verified pair every host should hold
     * @param create      a new key is needed
     * @param deleteFirst an existing key no host holds, deleted to stay within 2 keys
     * @param stop        why the run must stop before changing anything
     */
    public record Resolution(Optional<HeldCredentials> reuse, boolean create, Optional<String> deleteFirst,
                             Optional<String> stop, List<String> notes) {
    }

    /**
     * @param held     what each host holds (empty: no env file or no pair in it)
     * @param verifies a signed call with the pair succeeds (e.g. kms:DescribeKey on the key)
     */
    public static Resolution resolve(String userName, List<AwsState.AccessKey> userKeys,
                                     Map<String, Optional<HeldCredentials>> held, Predicate<HeldCredentials> verifies) {
        Set<String> activeIds = userKeys.stream().filter(AwsState.AccessKey::active).map(AwsState.AccessKey::id)
                .collect(Collectors.toSet());
        Map<HeldCredentials, List<String>> holders = new LinkedHashMap<>();
        held.forEach((host, pair) -> pair.ifPresent(p -> holders.computeIfAbsent(p, k -> new ArrayList<>()).add(host)));

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
        if (!verified.isEmpty()) {
            HeldCredentials chosen = verified.stream()
                    .max(Comparator.comparingInt((HeldCredentials p) -> holders.get(p).size())).orElseThrow();
            held.forEach((host, pair) -> {
                if (pair.isEmpty()) {
                    notes.add(host + ": holds no access key; will receive " + chosen.accessKeyId());
                } else if (!pair.get().equals(chosen)) {
                    notes.add(host + ": will receive " + chosen.accessKeyId() + " instead of " + pair.get().accessKeyId());
                }
            });
            return new Resolution(Optional.of(chosen), false, Optional.empty(), Optional.empty(), notes);
        }
        if (userKeys.size() < 2) {
            return new Resolution(Optional.empty(), true, Optional.empty(), Optional.empty(), notes);
        }
        Set<String> heldIds = holders.keySet().stream().map(HeldCredentials::accessKeyId).collect(Collectors.toCollection(TreeSet::new));
        Optional<String> unused = userKeys.stream()
                .filter(key -> !heldIds.contains(key.id()))
                .min(Comparator.comparing((AwsState.AccessKey key) -> key.active()).thenComparing(AwsState.AccessKey::created))
                .map(AwsState.AccessKey::id);
        if (unused.isEmpty()) {
            return new Resolution(Optional.empty(), false, Optional.empty(), Optional.of(
                    "a new access key is needed, but " + userName + " already has 2 keys (" + String.join(", ", heldIds)
                            + ") and hosts hold both; none of them works. Fix or remove one by hand "
                            + "(aws iam delete-access-key --user-name " + userName + " --access-key-id <id>), then run again"),
                    notes);
        }
        return new Resolution(Optional.empty(), true, unused, Optional.empty(), notes);
    }
}
