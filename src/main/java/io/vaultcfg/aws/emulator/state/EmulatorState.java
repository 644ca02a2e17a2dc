package io.vaultcfg.aws.emulator.state;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * All KMS, IAM and STS entities of one emulated account.
 *
 * <p>Not thread-safe by itself: the dispatcher holds this object's monitor for the whole of a request, so every
 * service sees a consistent view. {@link #revision()} counts structural changes (saved at once) and
 * {@link #usageRevision()} counts access-key usage updates (saved lazily).
 */
public final class EmulatorState {
    private final String accountId;
    private final Map<String, KmsKey> keys = new LinkedHashMap<>();
    /** By {@link #aliasKey(String, String)}: alias names are unique per region only. */
    private final Map<String, KmsAlias> aliases = new LinkedHashMap<>();
    private final Map<String, IamUser> users = new LinkedHashMap<>();
    private final Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
    private final Map<String, AccessKey> accessKeys = new LinkedHashMap<>();
    private final Map<String, IamRole> roles = new LinkedHashMap<>();
    private final Map<String, IamGroup> groups = new LinkedHashMap<>();
    private final Map<String, RoleSession> sessions = new LinkedHashMap<>();
    private long revision;
    private long usageRevision;

    public EmulatorState(String accountId) {
        this.accountId = accountId;
    }

    public String accountId() {
        return accountId;
    }

    public String rootArn() {
        return "arn:aws:iam::" + accountId + ":root";
    }

    public Map<String, KmsKey> keys() {
        return keys;
    }

    /** Every alias of every region; use {@link #alias}, {@link #putAlias} and {@link #removeAlias} to change them. */
    public Collection<KmsAlias> aliases() {
        return aliases.values();
    }

    public Optional<KmsAlias> alias(String region, String name) {
        return Optional.ofNullable(aliases.get(aliasKey(region, name)));
    }

    public void putAlias(KmsAlias alias) {
        aliases.put(aliasKey(alias.region(), alias.name()), alias);
    }

    public void removeAlias(KmsAlias alias) {
        aliases.remove(aliasKey(alias.region(), alias.name()));
    }

    private static String aliasKey(String region, String name) {
        return region + " " + name;
    }

    public Map<String, IamUser> users() {
        return users;
    }

    /** Managed policies by ARN. */
    public Map<String, ManagedPolicy> policies() {
        return policies;
    }

    public Map<String, AccessKey> accessKeys() {
        return accessKeys;
    }

    public Map<String, IamRole> roles() {
        return roles;
    }

    public Map<String, IamGroup> groups() {
        return groups;
    }

    /** The groups {@code userName} is a member of. */
    public List<IamGroup> groupsOf(String userName) {
        return groups.values().stream().filter(group -> group.members().contains(userName)).toList();
    }

    /** Role sessions by their temporary access key id. */
    public Map<String, RoleSession> sessions() {
        return sessions;
    }

    public Optional<IamUser> user(String name) {
        return Optional.ofNullable(users.get(name));
    }

    public List<AccessKey> accessKeysOf(String userName) {
        return accessKeys.values().stream().filter(k -> k.userName().equals(userName)).toList();
    }

    public int attachmentCount(String policyArn) {
        long byUsers = users.values().stream().filter(u -> u.attachedPolicyArns().contains(policyArn)).count();
        long byRoles = roles.values().stream().filter(r -> r.attachedPolicyArns().contains(policyArn)).count();
        return (int) (byUsers + byRoles);
    }

    /** Removes sessions that have expired; they would be rejected anyway. */
    public void dropExpiredSessions(Instant now) {
        if (sessions.values().removeIf(s -> s.expiration().isBefore(now))) {
            changed();
        }
    }

    public void changed() {
        revision++;
    }

    public void usageChanged() {
        usageRevision++;
    }

    public long revision() {
        return revision;
    }

    public long usageRevision() {
        return usageRevision;
    }

    public StateSnapshot snapshot() {
        return new StateSnapshot(StateSnapshot.CURRENT_FORMAT, accountId, List.copyOf(keys.values()),
                List.copyOf(aliases.values()), List.copyOf(users.values()), List.copyOf(policies.values()),
                List.copyOf(accessKeys.values()), List.copyOf(roles.values()), List.copyOf(sessions.values()),
                List.copyOf(groups.values()));
    }

    public static EmulatorState restore(StateSnapshot snapshot) {
        EmulatorState state = new EmulatorState(snapshot.accountId());
        putAll(state.keys, snapshot.keys(), KmsKey::keyId);
        if (snapshot.aliases() != null) {
            snapshot.aliases().forEach(alias -> state.putAlias(withRegion(alias, state.keys)));
        }
        putAll(state.users, snapshot.users(), IamUser::name);
        putAll(state.policies, snapshot.policies(), ManagedPolicy::arn);
        putAll(state.accessKeys, snapshot.accessKeys(), AccessKey::accessKeyId);
        putAll(state.roles, snapshot.roles(), IamRole::name);
        putAll(state.sessions, snapshot.sessions(), RoleSession::accessKeyId);
        putAll(state.groups, snapshot.groups(), IamGroup::name);
        return state;
    }

    // State files written before aliases were regional: an alias lives in the region of the key it names.
    private static KmsAlias withRegion(KmsAlias alias, Map<String, KmsKey> keys) {
        if (alias.region() != null) {
            return alias;
        }
        KmsKey target = keys.get(alias.targetKeyId());
        String region = target == null ? "us-east-1" : target.region();
        return new KmsAlias(region, alias.name(), alias.targetKeyId(), alias.created(), alias.updated());
    }

    private static <T> void putAll(Map<String, T> target, Collection<T> values, Function<T, String> id) {
        if (values != null) {
            values.forEach(v -> target.put(id.apply(v), v));
        }
    }
}
