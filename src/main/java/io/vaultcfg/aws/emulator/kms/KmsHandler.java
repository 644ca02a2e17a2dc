package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;

/** One KMS action: returns the response body. */
@FunctionalInterface
interface KmsHandler {
    JsonNode handle(CallContext call, JsonParams params);
}
