package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A KMS key made by hand (the seed's step 1: no alias, or another one) that the nodes' seal stanzas name by id or
 * ARN is the fleet's key: when the planned alias does not exist yet, vaultcfg takes that key over, adds the alias,
 * its tags and (through the planner) rotation, and never makes a second key. Only a key the stanzas agree on, in
 * the planned region and account, and not one vaultcfg tagged for another fleet (e.g. the key of the alias before a
 * typo in kms_alias: that is a seal change the guard refuses); reads only (DescribeKey, GetKeyRotationStatus,
 * ListResourceTags).
 *
 * @param key     the key, as the planner sees an existing one
 * @param changes the alias and the missing tags, made before anything else
 * @param notes   what was taken over and why
 */
public record ExistingKeyAdoption(AwsState.Key key, List<AwsChange> changes, List<String> notes) {

    /** Empty when the alias exists, no stanza names a key, or the stanzas name no single key of the planned region and account. */
    public static Optional<ExistingKeyAdoption> find(AwsState state, SealResources names, String region, List<FleetMember> fleet,
                                                     AwsReader reader, AwsClients clients) {
        if (state.key().isPresent()) {
            return Optional.empty();
        }
        Map<String, List<String>> byName = new LinkedHashMap<>();
        for (FleetMember member : fleet) {
            member.stanza().filter(stanza -> stanza.keyRegion().equals(region) && stanza.region().equals(region))
                    .map(SealStanza::kmsKeyId).filter(id -> !id.startsWith("alias/") && !id.contains(":alias/"))
                    .filter(id -> !id.startsWith("arn:") || id.split(":").length > 5 && id.split(":")[4].equals(state.account()))
                    .ifPresent(id -> byName.computeIfAbsent(id, k -> new ArrayList<>()).add(member.name()));
        }
        Map<String, AwsState.Key> byArn = new LinkedHashMap<>();
        Set<String> hosts = new LinkedHashSet<>();
        for (Map.Entry<String, List<String>> named : byName.entrySet()) {
            Optional<AwsState.Key> key = reader.keyNamed(named.getKey());
            if (key.isEmpty()) {
                return Optional.empty();
            }
            byArn.put(key.get().arn(), key.get());
            hosts.addAll(named.getValue());
        }
        if (byArn.size() != 1) {
            return Optional.empty();
        }
        AwsState.Key key = byArn.values().iterator().next();
        if (!key.region().equals(region) || !key.arn().split(":")[4].equals(state.account())) {
            return Optional.empty();
        }
        Map<String, String> present = tags(clients, key.keyId());
        Optional<String> fleetTag = present.entrySet().stream().filter(tag -> tag.getKey().equalsIgnoreCase(FleetOwnership.TAG))
                .map(Map.Entry::getValue).findFirst();
        if (fleetTag.isPresent() && !fleetTag.get().equals(names.tags().get(FleetOwnership.TAG))) {
            return Optional.empty(); // another fleet's key, made by vaultcfg: never taken over (the seal guard says why)
        }
        List<AwsChange> changes = new ArrayList<>();
        changes.add(new AwsChange.CreateAlias(names.alias()));
        Map<String, String> missing = new LinkedHashMap<>();
        names.tags().forEach((name, value) -> {
            if (!present.containsKey(name)) {
                missing.put(name, value);
            }
        });
        if (!missing.isEmpty()) {
            changes.add(new AwsChange.TagKey(key.keyId(), missing));
        }
        String note = "KMS key " + key.keyId() + " (made by hand, named by the seal stanza of " + String.join(", ", hosts)
                + ") is the fleet's key: taken over, " + names.alias() + " will point at it; no second key is made";
        return Optional.of(new ExistingKeyAdoption(key, List.copyOf(changes), List.of(note)));
    }

    /** {@code state} with this key as the one the alias will name. */
    public AwsState applyTo(AwsState state) {
        return new AwsState(state.account(), state.callerArn(), Optional.of(key), state.user(), state.policy());
    }

    private static Map<String, String> tags(AwsClients clients, String keyId) {
        Map<String, String> present = new LinkedHashMap<>();
        AwsReader.call("kms:ListResourceTags", () -> clients.kms().listResourceTags(r -> r.keyId(keyId))).tags()
                .forEach(tag -> present.put(tag.tagKey(), tag.tagValue()));
        return present;
    }
}
