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
    private final Map<String, KmsAlias> aliases = new LinkedHashMap<>();
    private final Map<String, IamUser> users = new LinkedHashMap<>();
    private final Map<String, ManagedPolicy> policies = new LinkedHashMap<>();
    private final Map<String, AccessKey> accessKeys = new LinkedHashMap<>();
    private final Map<String, IamRole> roles = new LinkedHashMap<>();
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

    public Map<String, KmsAlias> aliases() {
        return aliases;
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
                List.copyOf(accessKeys.values()), List.copyOf(roles.values()), List.copyOf(sessions.values()));
    }

    public static EmulatorState restore(StateSnapshot snapshot) {
        EmulatorState state = new EmulatorState(snapshot.accountId());
        putAll(state.keys, snapshot.keys(), KmsKey::keyId);
        putAll(state.aliases, snapshot.aliases(), KmsAlias::name);
        putAll(state.users, snapshot.users(), IamUser::name);
        putAll(state.policies, snapshot.policies(), ManagedPolicy::arn);
        putAll(state.accessKeys, snapshot.accessKeys(), AccessKey::accessKeyId);
        putAll(state.roles, snapshot.roles(), IamRole::name);
        putAll(state.sessions, snapshot.sessions(), RoleSession::accessKeyId);
        return state;
    }

    private static <T> void putAll(Map<String, T> target, Collection<T> values, Function<T, String> id) {
        if (values != null) {
            values.forEach(v -> target.put(id.apply(v), v));
        }
    }
}
