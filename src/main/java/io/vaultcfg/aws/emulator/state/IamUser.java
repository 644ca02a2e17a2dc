package io.vaultcfg.aws.emulator.state;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An IAM user with its inline policies (name to JSON document) and attached managed policy ARNs. */
public record IamUser(String name, String path, String userId, String arn, Instant created, Map<String, String> tags,
                      Map<String, String> inlinePolicies, List<String> attachedPolicyArns, LoginProfile loginProfile) {

    public IamUser {
        tags = Collections2.orderedCopy(tags);
        inlinePolicies = Collections2.orderedCopy(inlinePolicies);
        attachedPolicyArns = Collections2.listCopy(attachedPolicyArns);
    }

    public IamUser withTags(Map<String, String> newTags) {
        return new IamUser(name, path, userId, arn, created, newTags, inlinePolicies, attachedPolicyArns, loginProfile);
    }

    public IamUser withInlinePolicy(String policyName, String document) {
        return new IamUser(name, path, userId, arn, created, tags, Collections2.with(inlinePolicies, policyName, document),
                attachedPolicyArns, loginProfile);
    }

    public IamUser withoutInlinePolicy(String policyName) {
        return new IamUser(name, path, userId, arn, created, tags, Collections2.without(inlinePolicies, policyName),
                attachedPolicyArns, loginProfile);
    }

    public IamUser withAttached(String policyArn) {
        return new IamUser(name, path, userId, arn, created, tags, inlinePolicies,
                Collections2.with(attachedPolicyArns, policyArn), loginProfile);
    }

    public IamUser withoutAttached(String policyArn) {
        return new IamUser(name, path, userId, arn, created, tags, inlinePolicies,
                Collections2.without(attachedPolicyArns, policyArn), loginProfile);
    }

    public IamUser withLoginProfile(LoginProfile profile) {
        return new IamUser(name, path, userId, arn, created, tags, inlinePolicies, attachedPolicyArns, profile);
    }
}
