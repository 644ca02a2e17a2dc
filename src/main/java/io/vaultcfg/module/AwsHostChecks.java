package io.vaultcfg.module;

import io.vaultcfg.aws.CleartextEndpoints;
import io.vaultcfg.config.ConfigException;
import io.vaultcfg.vars.Interpolator;
import java.util.Map;

/**
 * Values the hosts use that must agree with what the controller provisions, checked for every
 * host while the input is validated: controller tasks see the first host's variables only.
 */
record AwsHostChecks(String region, Object regionRaw, String regionLocation, Object sealEndpointRaw,
                     String sealEndpointLocation) {
    void check(Map<String, Object> vars) {
        String hostRegion = String.valueOf(Interpolator.resolve(regionRaw, vars, regionLocation, "region"));
        if (!hostRegion.equals(region)) {
            throw new ConfigException(regionLocation, "region", "this host's region is " + hostRegion
                    + " but the play provisions its KMS key in " + region + " (from the first host): its seal stanza and "
                    + "AWS_DEFAULT_REGION would name a region without the key. One play serves one region");
        }
        if (sealEndpointRaw == null) {
            return;
        }
        String endpoint = String.valueOf(Interpolator.resolve(sealEndpointRaw, vars, sealEndpointLocation, "seal_endpoint"));
        if (!endpoint.isEmpty()) {
            CleartextEndpoints.refusal(endpoint).ifPresent(why -> {
                throw new ConfigException(sealEndpointLocation, "seal_endpoint", endpoint + ": " + why);
            });
        }
    }
}
