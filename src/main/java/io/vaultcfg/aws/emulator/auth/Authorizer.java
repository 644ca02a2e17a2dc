package io.vaultcfg.aws.emulator.auth;

import io.vaultcfg.aws.emulator.policy.Decision;
import io.vaultcfg.aws.emulator.policy.MalformedPolicyException;
import io.vaultcfg.aws.emulator.policy.PolicyDocument;
import io.vaultcfg.aws.emulator.policy.PolicyEvaluator;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.IamRole;
import io.vaultcfg.aws.emulator.state.IamUser;
import io.vaultcfg.aws.emulator.state.ManagedPolicy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a caller may perform an action on a resource, combining the caller's identity policies
 * (inline + attached managed default versions, narrowed by an AssumeRole session policy) with the resource's own
 * policy where it has one (KMS key policy, role trust policy). The account root (admin) is allowed everything.
 * Call with the state's lock held.
 */
public final class Authorizer {
    private final EmulatorState state;

    public Authorizer(EmulatorState state) {
        this.state = state;
    }

    /** For resources without a resource policy (IAM entities, CreateKey, ListKeys...). */
    public void require(Caller caller, String action, String resource) {
        if (caller.isRoot()) {
            return;
        }
        RequestContext context = contextFor(caller);
        Decision identity = identityDecision(caller, action, resource, context);
        if (identity == Decision.EXPLICIT_DENY) {
            throw AccessDeniedException.of(caller, action, resource, "with an explicit deny in an identity-based policy");
        }
        if (identity != Decision.ALLOW) {
            throw AccessDeniedException.of(caller, action, resource,
                    "because no identity-based policy allows the " + action + " action");
        }
    }

    /**
     * For resources with their own policy. Same-account rule: an explicit deny anywhere denies; otherwise the
     * resource policy must allow the caller directly, or delegate to the account root while IAM allows.
     */
    public void require(Caller caller, String action, String resource, String resourcePolicy, PolicyKind kind,
                        RequestContext extraContext) {
        if (caller.isRoot()) {
            return;
        }
        RequestContext context = extraContext == null ? contextFor(caller) : addCallerKeys(extraContext, caller);
        Decision identity = identityDecision(caller, action, resource, context);
        PolicyEvaluator.ResourceVerdict verdict = PolicyEvaluator.evaluateResourcePolicy(
                parseStored(resourcePolicy, kind), principalArns(caller), state.accountId(), action, resource, context);
        if (identity == Decision.EXPLICIT_DENY) {
            throw AccessDeniedException.of(caller, action, resource, "with an explicit deny in an identity-based policy");
        }
        if (verdict.explicitDeny()) {
            throw AccessDeniedException.of(caller, action, resource, "with an explicit deny in a resource-based policy");
        }
        if (verdict.allowsCallerDirectly() && sessionPolicyAllows(caller, action, resource, context)) {
            return;
        }
        if (identity == Decision.ALLOW && verdict.delegatesToAccount()) {
            return;
        }
        if (identity == Decision.ALLOW) {
            throw AccessDeniedException.of(caller, action, resource,
                    "because no resource-based policy allows the " + action + " action");
        }
        throw AccessDeniedException.of(caller, action, resource,
                "because no identity-based policy allows the " + action + " action");
    }

    /** The identity-policy decision alone, including the session policy of an assumed role. */
    public Decision identityDecision(Caller caller, String action, String resource, RequestContext context) {
        if (caller.isRoot()) {
            return Decision.ALLOW;
        }
        Decision decision = PolicyEvaluator.evaluate(identityPolicies(caller), action, resource, context);
        if (decision == Decision.ALLOW && !sessionPolicyAllows(caller, action, resource, context)) {
            return Decision.IMPLICIT_DENY;
        }
        return decision;
    }

    private boolean sessionPolicyAllows(Caller caller, String action, String resource, RequestContext context) {
        if (caller.sessionPolicy() == null) {
            return true;
        }
        PolicyDocument session = parseStored(caller.sessionPolicy(), PolicyKind.IDENTITY);
        return PolicyEvaluator.evaluate(List.of(session), action, resource, context) == Decision.ALLOW;
    }

    private List<PolicyDocument> identityPolicies(Caller caller) {
        Map<String, String> inline;
        List<String> attached;
        if (caller.kind() == Caller.Kind.USER) {
            IamUser user = state.users().get(caller.name());
            if (user == null) {
                return List.of();
            }
            inline = user.inlinePolicies();
            attached = user.attachedPolicyArns();
        } else {
            IamRole role = state.roles().get(caller.name());
            if (role == null) {
                return List.of();
            }
            inline = role.inlinePolicies();
            attached = role.attachedPolicyArns();
        }
        List<PolicyDocument> documents = new ArrayList<>();
        inline.values().forEach(doc -> documents.add(parseStored(doc, PolicyKind.IDENTITY)));
        for (String arn : attached) {
            ManagedPolicy policy = state.policies().get(arn);
            if (policy != null) {
                documents.add(parseStored(policy.defaultVersion().document(), PolicyKind.IDENTITY));
            }
        }
        return documents;
    }

    private Collection<String> principalArns(Caller caller) {
        if (caller.kind() == Caller.Kind.ASSUMED_ROLE) {
            IamRole role = state.roles().get(caller.name());
            return role == null ? List.of(caller.arn()) : List.of(caller.arn(), role.arn());
        }
        return List.of(caller.arn());
    }

    private RequestContext contextFor(Caller caller) {
        return addCallerKeys(new RequestContext(), caller);
    }

    private RequestContext addCallerKeys(RequestContext context, Caller caller) {
        context.put("aws:PrincipalAccount", caller.accountId())
                .put("aws:userid", caller.userId())
                .put("kms:CallerAccount", caller.accountId());
        if (caller.kind() == Caller.Kind.USER) {
            context.put("aws:username", caller.name()).put("aws:PrincipalArn", caller.arn())
                    .put("aws:PrincipalType", "User");
        } else if (caller.kind() == Caller.Kind.ASSUMED_ROLE) {
            IamRole role = state.roles().get(caller.name());
            context.put("aws:PrincipalArn", role == null ? caller.arn() : role.arn())
                    .put("aws:PrincipalType", "AssumedRole");
        }
        return context;
    }

    // Stored documents were validated when they were stored; an unreadable one grants nothing.
    private static PolicyDocument parseStored(String document, PolicyKind kind) {
        try {
            return PolicyDocument.parse(document, kind);
        } catch (MalformedPolicyException e) {
            return new PolicyDocument(List.of());
        }
    }
}
