package io.vaultcfg.aws.emulator.policy;

/** Which grammar a document must follow: identity policies name no principal, resource policies must. */
public enum PolicyKind {
    /** Attached to a user or role: no Principal; Resource required. */
    IDENTITY,
    /** A KMS key policy: Principal and Resource required. */
    KEY,
    /** A role's trust policy: Principal required, no Resource. */
    TRUST
}
