package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.policy.Decision;
import io.vaultcfg.aws.emulator.policy.Glob;
import io.vaultcfg.aws.emulator.policy.MalformedPolicyException;
import io.vaultcfg.aws.emulator.policy.PolicyDocument;
import io.vaultcfg.aws.emulator.policy.PolicyEvaluator;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IAM evaluation rules on their own: wildcards, Not-elements, deny precedence, conditions, grammar errors. */
class PolicyEvaluatorTest {
    private static final String KEY = "arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    private static Decision decide(String policy, String action, String resource) throws MalformedPolicyException {
        return PolicyEvaluator.evaluate(List.of(PolicyDocument.parse(policy, PolicyKind.IDENTITY)), action, resource,
                new RequestContext().put("aws:username", "vault"));
    }

    @Test
    void globsMatchStarsAndSingleCharacters() {
        assertThat(Glob.matches("kms:*", "kms:Decrypt", false)).isTrue();
        assertThat(Glob.matches("kms:Decr?pt", "kms:Decrypt", false)).isTrue();
        assertThat(Glob.matches("kms:Decr?pt", "kms:Decrpt", false)).isFalse();
        assertThat(Glob.matches("arn:aws:kms:*:123456789012:key/*", KEY, false)).isTrue();
        assertThat(Glob.matches("arn:aws:kms:*:999999999999:key/*", KEY, false)).isFalse();
        assertThat(Glob.matches("KMS:DECRYPT", "kms:Decrypt", true)).isTrue();
        assertThat(Glob.matches("*a*b*", "xxaxxbxx", false)).isTrue();
    }

    @Test
    void explicitDenyBeatsAllowAndNothingMatchingIsImplicitDeny() throws Exception {
        String policy = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"},
                 {"Effect":"Deny","Action":"kms:ScheduleKeyDeletion","Resource":"*"}]}""";
        assertThat(decide(policy, "kms:Decrypt", KEY)).isEqualTo(Decision.ALLOW);
        assertThat(decide(policy, "kms:ScheduleKeyDeletion", KEY)).isEqualTo(Decision.EXPLICIT_DENY);
        assertThat(decide(policy, "iam:CreateUser", "*")).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void resourceArnsAreCaseSensitiveButActionsAreNot() throws Exception {
        String policy = """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"KMS:DECRYPT","Resource":"%s"}}""".formatted(KEY);
        assertThat(decide(policy, "kms:Decrypt", KEY)).isEqualTo(Decision.ALLOW);
        assertThat(decide(policy, "kms:Decrypt", KEY.toUpperCase())).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void conditionsOnKnownKeysAreEvaluatedAndUnknownOperatorsNeverGrant() throws Exception {
        String matching = """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*",
                 "Condition":{"StringEquals":{"aws:username":"vault"}}}}""";
        String other = matching.replace("\"vault\"", "\"someone\"");
        String unsupported = """
                {"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"kms:*","Resource":"*",
                 "Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}}""";
        assertThat(decide(matching, "kms:Decrypt", KEY)).isEqualTo(Decision.ALLOW);
        assertThat(decide(other, "kms:Decrypt", KEY)).isEqualTo(Decision.IMPLICIT_DENY);
        assertThat(decide(unsupported, "kms:Decrypt", KEY)).isEqualTo(Decision.IMPLICIT_DENY);
    }

    @Test
    void grammarErrorsUseAwsWording() {
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Resource\":\"*\"}]}",
                PolicyKind.IDENTITY)).hasMessage("Policy statement must contain actions.");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\"}]}",
                PolicyKind.IDENTITY)).hasMessage("Policy statement must contain resources.");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"Decrypt\",\"Resource\":\"*\"}]}",
                PolicyKind.IDENTITY)).hasMessageContaining("must be prefaced by a vendor");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"kms:*\",\"Resource\":\"*\"}]}",
                PolicyKind.KEY)).hasMessage("Policy contains a statement with no principal.");
        assertThatThrownBy(() -> PolicyDocument.parse("{\"Version\":\"2019-01-01\",\"Statement\":[]}", PolicyKind.IDENTITY))
                .hasMessage("The policy failed legacy parsing");
    }
}
