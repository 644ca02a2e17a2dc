package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SealPolicyDocumentTest {
    static final String ARN = "arn:aws:kms:us-east-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @Test
    void theGeneratedDocumentGrantsExactlyTheThreeActionsOnTheKey() {
        assertThat(SealPolicyDocument.grantsExactly(SealPolicyDocument.forKey(ARN), ARN)).isTrue();
        String encoded = URLEncoder.encode(SealPolicyDocument.forKey(ARN), StandardCharsets.UTF_8).replace("+", "%20");
        assertThat(SealPolicyDocument.grantsExactly(encoded, ARN)).isTrue();
    }

    @Test
    void wildcardsExtraActionsOtherKeysAndConditionsAreDrift() {
        assertThat(SealPolicyDocument.grantsExactly(SealPolicyDocument.forKey("*"), ARN)).isFalse();
        assertThat(SealPolicyDocument.grantsExactly(SealPolicyDocument.forKey(ARN).replace("\"kms:DescribeKey\"", "\"kms:*\""), ARN)).isFalse();
        assertThat(SealPolicyDocument.grantsExactly(SealPolicyDocument.forKey(ARN).replace("\"Effect\"",
                "\"Condition\": {\"Bool\": {\"aws:SecureTransport\": \"true\"}}, \"Effect\""), ARN)).isFalse();
        assertThat(SealPolicyDocument.grantsExactly("not json", ARN)).isFalse();
    }
}
