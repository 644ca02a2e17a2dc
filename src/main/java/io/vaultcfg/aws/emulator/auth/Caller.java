package io.vaultcfg.aws.emulator.auth;

/**
 * The authenticated identity behind a request. {@code name} is the user name for users, the role name for
 * assumed roles, and null for the account root (the emulator's admin credentials).
 */
public record Caller(Kind kind, String arn, String userId, String accountId, String accessKeyId, String name,
                     String sessionPolicy) {

    public enum Kind { ROOT, USER, ASSUMED_ROLE }

    public static Caller root(String accountId, String accessKeyId) {
        return new Caller(Kind.ROOT, "arn:aws:iam::" + accountId + ":root", accountId, accountId, accessKeyId, null, null);
    }

    public boolean isRoot() {
        return kind == Kind.ROOT;
    }
}
