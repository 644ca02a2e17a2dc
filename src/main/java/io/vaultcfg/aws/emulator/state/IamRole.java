package io.vaultcfg.aws.emulator.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An IAM role: who may assume it ({@code trustPolicy}) and what its sessions may do (inline + attached policies). */
public record IamRole(String name, String path, String roleId, String arn, String trustPolicy, String description,
                      int maxSessionDurationSeconds, Instant created, Map<String, String> inlinePolicies,
                      List<String> attachedPolicyArns, Map<String, String> tags) {

    public IamRole {
        inlinePolicies = Collections2.orderedCopy(inlinePolicies);
        attachedPolicyArns = Collections2.listCopy(attachedPolicyArns);
        tags = Collections2.orderedCopy(tags);
    }

    public IamRole withInlinePolicy(String policyName, String document) {
        return new IamRole(name, path, roleId, arn, trustPolicy, description, maxSessionDurationSeconds, created,
                Collections2.with(inlinePolicies, policyName, document), attachedPolicyArns, tags);
    }

    public IamRole withoutInlinePolicy(String policyName) {
        return new IamRole(name, path, roleId, arn, trustPolicy, description, maxSessionDurationSeconds, created,
                Collections2.without(inlinePolicies, policyName), attachedPolicyArns, tags);
    }

    public IamRole withAttached(String policyArn) {
        return new IamRole(name, path, roleId, arn, trustPolicy, description, maxSessionDurationSeconds, created,
                inlinePolicies, Collections2.with(attachedPolicyArns, policyArn), tags);
    }

    public IamRole withoutAttached(String policyArn) {
        return new IamRole(name, path, roleId, arn, trustPolicy, description, maxSessionDurationSeconds, created,
                inlinePolicies, Collections2.without(attachedPolicyArns, policyArn), tags);
    }
}
