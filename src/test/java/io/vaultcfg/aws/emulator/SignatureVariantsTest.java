package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** SigV4 as clients actually vary it: unsigned payloads, declared payload hashes, any signing region. */
class SignatureVariantsTest {
    private static final Map<String, String> KMS_HEADERS = Map.of("Content-Type", "application/x-amz-json-1.1",
            "X-Amz-Target", "TrentService.ListKeys");
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
    void unsignedPayloadIsAcceptedWhenTheClientDeclaresIt() throws Exception {
        HttpResponse<String> response = admin.signedPost("kms", "us-east-2", false, KMS_HEADERS, "{}", "{}");
        assertThat(admin.lastSignedHeaders().get("x-amz-content-sha256")).containsExactly("UNSIGNED-PAYLOAD");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"Keys\"");
    }

    @Test
    void aBodyThatDiffersFromTheSignedOneIsRejected() throws Exception {
        HttpResponse<String> response = admin.signedPost("kms", "us-east-2", true, KMS_HEADERS, "{}", "{\"Limit\":1}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("InvalidSignatureException");
    }

    @Test
    void anySigningRegionIsAcceptedAndBecomesTheRegionOfNewKeys() throws Exception {
        HttpResponse<String> response = admin.signedPost("kms", "eu-central-1", true,
                Map.of("Content-Type", "application/x-amz-json-1.1", "X-Amz-Target", "TrentService.CreateKey"), "{}", "{}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"Arn\":\"arn:aws:kms:eu-central-1:123456789012:key/");
    }
}
