package io.vaultcfg.aws.emulator.policy;

import java.util.List;

/**
 * IAM's evaluation logic for one request: an applicable Deny wins, then an applicable Allow, else implicit deny.
 * Resource policies (key policies, trust policies) are evaluated separately so the caller can combine them.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    public static Decision evaluate(List<PolicyDocument> identityPolicies, String action, String resource,
                                    RequestContext context) {
        boolean allowed = false;
        for (PolicyDocument policy : identityPolicies) {
            for (Statement statement : policy.statements()) {
                if (statement.applies(action, resource, context)) {
                    if (statement.effect() == Effect.Deny) {
                        return Decision.EXPLICIT_DENY;
                    }
                    allowed = true;
                }
            }
        }
        return allowed ? Decision.ALLOW : Decision.IMPLICIT_DENY;
    }

    /** What a resource policy says about one caller. */
    public record ResourceVerdict(boolean explicitDeny, boolean allowsCallerDirectly, boolean delegatesToAccount) {
    }

    public static ResourceVerdict evaluateResourcePolicy(PolicyDocument policy, java.util.Collection<String> callerArns,
                                                         String accountId,
                                                         String action, String resource, RequestContext context) {
        boolean deny = false;
        boolean direct = false;
        boolean account = false;
        for (Statement statement : policy.statements()) {
            if (!statement.applies(action, resource, context)) {
                continue;
            }
            Principals.Match match = statement.principals().match(callerArns, accountId);
            if (statement.notPrincipal()) {
                // NotPrincipal applies to everyone not listed; a listed account covers its users too.
                match = match == Principals.Match.NONE ? Principals.Match.DIRECT : Principals.Match.NONE;
            }
            if (match == Principals.Match.NONE) {
                continue;
            }
            if (statement.effect() == Effect.Deny) {
                deny = true;
            } else if (match == Principals.Match.DIRECT) {
                direct = true;
            } else {
                account = true;
            }
        }
        return new ResourceVerdict(deny, direct, account);
    }
}
