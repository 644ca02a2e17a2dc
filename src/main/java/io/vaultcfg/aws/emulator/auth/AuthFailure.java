package io.vaultcfg.aws.emulator.auth;

/** Why a request could not be authenticated; each protocol maps these to its own error codes. */
public enum AuthFailure {
    MISSING_AUTHENTICATION,
    INCOMPLETE_SIGNATURE,
    UNKNOWN_ACCESS_KEY,
    BAD_SIGNATURE,
    SIGNATURE_EXPIRED,
    EXPIRED_TOKEN,
    PAYLOAD_HASH_MISMATCH
}
