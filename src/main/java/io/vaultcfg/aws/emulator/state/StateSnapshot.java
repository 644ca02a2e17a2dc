package io.vaultcfg.aws.emulator.state;

import java.util.List;

/** Everything the emulator persists with {@code --state}; a plain value for JSON (de)serialization ({@code groups} null in older files). */
public record StateSnapshot(int formatVersion, String accountId, List<KmsKey> keys, List<KmsAlias> aliases,
                            List<IamUser> users, List<ManagedPolicy> policies, List<AccessKey> accessKeys,
                            List<IamRole> roles, List<RoleSession> sessions, List<IamGroup> groups) {
    public static final int CURRENT_FORMAT = 1;
}
