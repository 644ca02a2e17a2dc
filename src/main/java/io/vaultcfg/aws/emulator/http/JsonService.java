package io.vaultcfg.aws.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;

/** An awsJson service (KMS): returns the response body for one action. */
public interface JsonService {
    JsonNode handle(String action, CallContext call, JsonParams params);
}
