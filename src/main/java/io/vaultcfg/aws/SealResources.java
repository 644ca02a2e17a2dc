package io.vaultcfg.aws;

import java.util.Map;

/**
 * The names vaultcfg gives the seal's AWS resources (defaults follow the seed document).
 *
 * @param inlinePolicy attach the policy inline instead of as a customer-managed policy
 * @param exclusive    detach every other policy from the user
 */
public record SealResources(
        String alias,
        String keyDescription,
        String userName,
        String policyName,
        boolean inlinePolicy,
        boolean exclusive,
        Map<String, String> tags) {
}
