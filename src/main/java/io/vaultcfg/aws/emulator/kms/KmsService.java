package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonService;
import io.vaultcfg.aws.emulator.http.UnknownOperationException;
import io.vaultcfg.aws.emulator.state.EmulatorState;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * KMS symmetric-key operations, each in the region of the caller's credential scope (keys and aliases are
 * regional). Every key operation is authorized against the resolved key ARN (even when the caller named an alias,
 * and for Decrypt the key found inside the ciphertext) together with the key policy. Call with the state's lock
 * held.
 */
public final class KmsService implements JsonService {
    private final Map<String, KmsHandler> routes = new HashMap<>();
    private final KmsKeys keys;

    public KmsService(EmulatorState state, Authorizer authorizer, Clock clock) {
        KmsSupport support = new KmsSupport(state, authorizer, clock);
        KmsKeyPolicies policies = new KmsKeyPolicies(support);
        keys = new KmsKeys(support, policies);
        keys.register(routes);
        policies.register(routes);
        new KmsAliases(support).register(routes);
        new KmsCrypto(support).register(routes);
        new KmsTags(support).register(routes);
    }

    @Override
    public JsonNode handle(String action, CallContext call, JsonParams params) {
        keys.purgeKeysPastDeletionDate();
        KmsHandler handler = routes.get(action);
        if (handler == null) {
            throw new UnknownOperationException(action);
        }
        return handler.handle(call, params);
    }
}
