package io.vaultcfg.aws.emulator.kms;

import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.KeyState;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.time.Clock;
import java.util.Map;

/** What the KMS action groups share: state, key lookup in the caller's region, authorization, key-state checks. */
final class KmsSupport {
    static final String SYMMETRIC_DEFAULT = "SYMMETRIC_DEFAULT";

    final EmulatorState state;
    final Authorizer authorizer;
    final KeyResolver keys;
    final Clock clock;

    KmsSupport(EmulatorState state, Authorizer authorizer, Clock clock) {
        this.state = state;
        this.authorizer = authorizer;
        this.keys = new KeyResolver(state);
        this.clock = clock;
    }

    /** Resolves {@code KeyId} in the caller's region and authorizes {@code kms:<action>} on the key's ARN. */
    KmsKey keyFor(CallContext call, JsonParams p, String action) {
        KmsKey key = keys.resolve(p.requiredString("KeyId"), call.region());
        authorizeKey(call.caller(), "kms:" + action, key);
        return key;
    }

    void authorizeKey(Caller caller, String action, KmsKey key) {
        authorizeKey(caller, action, key, Map.of());
    }

    void authorizeKey(Caller caller, String action, KmsKey key, Map<String, String> encryptionContext) {
        RequestContext context = new RequestContext();
        encryptionContext.forEach((k, v) -> context.put("kms:EncryptionContext:" + k, v));
        authorizer.require(caller, action, key.arn(), key.policy(), PolicyKind.KEY, context);
    }

    void requireUsable(KmsKey key) {
        requireNotPendingDeletion(key);
        if (key.state() == KeyState.Disabled) {
            throw new AwsServiceException("DisabledException", key.arn() + " is disabled.", 400);
        }
    }

    void requireNotPendingDeletion(KmsKey key) {
        if (key.state() == KeyState.PendingDeletion) {
            throw invalidState(key.arn() + " is pending deletion.");
        }
    }

    static AwsServiceException invalidState(String message) {
        return new AwsServiceException("KMSInvalidStateException", message, 400);
    }

    void replace(KmsKey key) {
        state.keys().put(key.keyId(), key);
        state.changed();
    }
}
