package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SigV4 as clients vary it, and as an attacker holding a captured request would: everything that decides what a
 * request does (host, every x-amz-* header, the body, the scope's date and service) must be covered by the signature.
 * Each refusal is paired with the same request done right, so a refusal cannot come from a broken signer.
 */
class SignatureVariantsTest {
    private static final Map<String, String> KMS_HEADERS = Map.of("Content-Type", "application/x-amz-json-1.1",
            "X-Amz-Target", "TrentService.ListKeys");
    private static final List<String> FULLY_SIGNED = List.of("content-type", "host", "x-amz-date", "x-amz-target");
    private static AwsEmulator aws;
    private static RawAwsHttp admin;

    @BeforeAll
    static void start() throws Exception {
        aws = AwsEmulator.start(EmulatorOptions.defaults());
        admin = new RawAwsHttp(aws.endpoint(), aws.adminCredentials());
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    @Test
    void unsignedPayloadIsRefusedForKmsIamAndSts() throws Exception {
        HttpResponse<String> kms = admin.signedPost("kms", "us-east-2", false, KMS_HEADERS, "{}", "{}");
        assertThat(admin.lastSignedHeaders().get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
        assertThat(kms.statusCode()).isEqualTo(400);
        assertThat(kms.body()).contains("InvalidSignatureException", "UNSIGNED-PAYLOAD");

        Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
        HttpResponse<String> iam = admin.signedPost("iam", "us-east-1", false, form,
                "Action=ListUsers&Version=2010-05-08", "Action=ListUsers&Version=2010-05-08");
        assertThat(iam.statusCode()).isEqualTo(403);
        assertThat(iam.body()).contains("<Code>SignatureDoesNotMatch</Code>");
        HttpResponse<String> sts = admin.signedPost("sts", "us-east-2", false, form,
                "Action=GetCallerIdentity&Version=2011-06-15", "Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(sts.statusCode()).isEqualTo(403);

        assertThat(admin.signedPost("kms", "us-east-2", true, KMS_HEADERS, "{}", "{}").statusCode()).isEqualTo(200);
    }

    @Test
    void aBodyThatDiffersFromTheSignedOneIsRejected() throws Exception {
        HttpResponse<String> response = admin.signedPost("kms", "us-east-2", true, KMS_HEADERS, "{}", "{\"Limit\":1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("InvalidSignatureException");
    }

    @Test
    void aRequestSignedForOneActionAndSentAsAnotherIsRefused() throws Exception {
        // A signature that leaves X-Amz-Target out would let whoever holds the request pick the action.
        HttpResponse<String> targetLeftOut = admin.kmsSignedByHand("TrentService.ListKeys", "TrentService.ListAliases", "{}",
                List.of("content-type", "host", "x-amz-date"), null, Map.of());
        assertThat(targetLeftOut.statusCode()).isEqualTo(400);
        assertThat(targetLeftOut.body()).contains("IncompleteSignatureException").doesNotContain("\"Aliases\"");

        HttpResponse<String> swapped = admin.kmsSignedAsOtherTarget("TrentService.ListKeys", "TrentService.ListAliases", "{}");
        assertThat(swapped.statusCode()).isEqualTo(400);
        assertThat(swapped.body()).contains("InvalidSignatureException").doesNotContain("\"Aliases\"");

        HttpResponse<String> asSigned = admin.kmsSignedAsOtherTarget("TrentService.ListAliases", "TrentService.ListAliases", "{}");
        assertThat(asSigned.statusCode()).isEqualTo(200);
        assertThat(asSigned.body()).contains("\"Aliases\"");
    }

    @Test
    void anUnsignedHostHeaderIsRefused() throws Exception {
        HttpResponse<String> hostUnsigned = admin.kmsSignedByHand("TrentService.ListKeys", "{}",
                List.of("content-type", "x-amz-date", "x-amz-target"), null, Map.of());
        assertThat(hostUnsigned.statusCode()).isEqualTo(400);
        assertThat(hostUnsigned.body()).contains("IncompleteSignatureException", "'Host'");

        HttpResponse<String> control = admin.kmsSignedByHand("TrentService.ListKeys", "{}", FULLY_SIGNED, null, Map.of());
        assertThat(control.statusCode()).as(control.body()).isEqualTo(200);
    }

    @Test
    void everyXAmzHeaderMustBeSigned() throws Exception {
        HttpResponse<String> targetUnsigned = admin.kmsSignedByHand("TrentService.ListKeys", "{}",
                List.of("content-type", "host", "x-amz-date"), null, Map.of());
        assertThat(targetUnsigned.statusCode()).isEqualTo(400);
        assertThat(targetUnsigned.body()).contains("IncompleteSignatureException", "x-amz-target");

        HttpResponse<String> extraUnsigned = admin.kmsSignedByHand("TrentService.ListKeys", "{}", FULLY_SIGNED, null,
                Map.of("X-Amz-Meta-Note", "added after signing"));
        assertThat(extraUnsigned.statusCode()).isEqualTo(400);
        assertThat(extraUnsigned.body()).contains("x-amz-meta-note");
    }

    @Test
    void aCredentialScopeDateOtherThanTheRequestDateIsRefused() throws Exception {
        String yesterday = DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC).minusDays(1));
        HttpResponse<String> response = admin.kmsSignedByHand("TrentService.ListKeys", "{}", FULLY_SIGNED, yesterday, Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("InvalidSignatureException", "Date in Credential scope does not match");
    }

    @Test
    void aCredentialScopeForAnotherServiceIsRefused() throws Exception {
        HttpResponse<String> kmsCallScopedToIam = admin.signedPost("iam", KMS_HEADERS, "{}");
        assertThat(kmsCallScopedToIam.statusCode()).isEqualTo(400);
        assertThat(kmsCallScopedToIam.body()).contains("InvalidSignatureException", "scoped to correct service: 'kms'");

        HttpResponse<String> stsCallScopedToIam = admin.iam("Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(stsCallScopedToIam.statusCode()).isEqualTo(403);
        assertThat(stsCallScopedToIam.body()).contains("<Code>SignatureDoesNotMatch</Code>", "'sts'");

        assertThat(admin.sts("Action=GetCallerIdentity&Version=2011-06-15").statusCode()).isEqualTo(200);
    }

    @Test
    void anySigningRegionIsAcceptedAndBecomesTheRegionOfNewKeys() throws Exception {
        HttpResponse<String> response = admin.signedPost("kms", "eu-central-1", true,
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "TrentService.CreateKey"), "{}", "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"Arn\":\"arn:aws:kms:eu-central-1:123456789012:key/");
    }
}
