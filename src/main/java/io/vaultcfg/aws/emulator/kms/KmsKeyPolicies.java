package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.JsonParams;
import io.vaultcfg.aws.emulator.http.JsonProtocol;
import io.vaultcfg.aws.emulator.policy.MalformedPolicyException;
import io.vaultcfg.aws.emulator.policy.PolicyDocument;
import io.vaultcfg.aws.emulator.policy.PolicyEvaluator;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import io.vaultcfg.aws.emulator.state.KmsKey;

import java.util.List;
import java.util.Map;

/** Key policies: the default one, GetKeyPolicy/PutKeyPolicy, and the checks every new policy passes. */
final class KmsKeyPolicies {
    private final KmsSupport kms;

    KmsKeyPolicies(KmsSupport kms) {
        this.kms = kms;
    }

    void register(Map<String, KmsHandler> routes) {
        routes.put("GetKeyPolicy", this::getKeyPolicy);
        routes.put("PutKeyPolicy", this::putKeyPolicy);
    }

    String defaultKeyPolicy() {
        return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
                + "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
                + "    \"Principal\" : {\n      \"AWS\" : \"" + kms.state.rootArn() + "\"\n    },\n"
                + "    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
    }

    private JsonNode getKeyPolicy(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "GetKeyPolicy");
        requireDefaultPolicyName(p);
        return JsonProtocol.object().put("Policy", key.policy()).put("PolicyName", "default");
    }

    private JsonNode putKeyPolicy(CallContext call, JsonParams p) {
        KmsKey key = kms.keyFor(call, p, "PutKeyPolicy");
        requireDefaultPolicyName(p);
        String policy = p.requiredString("Policy");
        validate(policy, call.caller(), key.arn(), p.bool("BypassPolicyLockoutSafetyCheck"));
        kms.replace(key.withPolicy(policy));
        return JsonProtocol.object();
    }

    private static void requireDefaultPolicyName(JsonParams p) {
        String name = p.string("PolicyName");
        if (name != null && !name.equals("default")) {
            throw KeyResolver.notFound("Policy name " + name + " does not exist. The only valid policy name is default.");
        }
    }

    /** Grammar check plus KMS's lockout safety check: the caller (or the account) must keep kms:PutKeyPolicy. */
    void validate(String policy, Caller caller, String keyArn, boolean bypassLockoutCheck) {
        PolicyDocument document;
        try {
            document = PolicyDocument.parse(policy, PolicyKind.KEY);
        } catch (MalformedPolicyException e) {
            throw new AwsServiceException("MalformedPolicyDocumentException", e.getMessage(), 400);
        }
        if (policy.length() > 32768) {
            throw new AwsServiceException("MalformedPolicyDocumentException", "Policy exceeds the maximum size of 32 KB.", 400);
        }
        if (!bypassLockoutCheck) {
            PolicyEvaluator.ResourceVerdict verdict = PolicyEvaluator.evaluateResourcePolicy(document,
                    List.of(caller.arn()), kms.state.accountId(), "kms:PutKeyPolicy", keyArn, new RequestContext());
            if (verdict.explicitDeny() || !(verdict.allowsCallerDirectly() || verdict.delegatesToAccount())) {
                throw new AwsServiceException("MalformedPolicyDocumentException",
                        "The new key policy will not allow you to update the key policy in the future.", 400);
            }
        }
    }
}
