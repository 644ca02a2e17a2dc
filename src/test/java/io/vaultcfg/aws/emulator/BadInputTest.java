package io.vaultcfg.aws.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Inputs no well-behaved client sends. Each must get an AWS-shaped 4xx in the caller's protocol, never a 5xx or a
 * stack trace, and the emulator must keep serving afterwards.
 */
class BadInputTest {
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

    @AfterEach
    void emulatorStillServes() throws Exception {
        HttpResponse<String> identity = admin.sts("Action=GetCallerIdentity&Version=2011-06-15");
        assertThat(identity.statusCode()).isEqualTo(200);
        assertThat(identity.body()).contains("<Arn>arn:aws:iam::123456789012:root</Arn>");
    }

    private static void assertJsonError(HttpResponse<String> response, int status, String type) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
        assertThat(response.body()).contains("\"__type\":\"" + type + "\"");
        assertNoLeak(response.body());
    }

    private static void assertXmlError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.body()).startsWith("<ErrorResponse xmlns=\"https://").contains("<Code>" + code + "</Code>");
        assertNoLeak(response.body());
    }

    private static void assertNoLeak(String body) {
        assertThat(body).doesNotContain("\tat ").doesNotContain("io.vaultcfg").doesNotContain("java.lang");
    }

    @Test
    void malformedJsonIsASerializationError() throws Exception {
        assertJsonError(admin.kms("TrentService.CreateKey", "{\"Description\": "), 400, "SerializationException");
        assertJsonError(admin.kms("TrentService.CreateKey", "[1,2,3]"), 400, "SerializationException");
        assertJsonError(admin.kms("TrentService.CreateKey", "{\"Description\": 42}"), 400, "SerializationException");
        assertJsonError(admin.kms("TrentService.Encrypt", "{\"KeyId\":\"alias/x\",\"Plaintext\":\"***not base64***\"}"),
                400, "SerializationException");
    }

    @Test
    void missingRequiredParametersAreValidationErrors() throws Exception {
        HttpResponse<String> response = admin.kms("TrentService.DescribeKey", "{}");
        assertJsonError(response, 400, "ValidationException");
        assertThat(response.body()).contains("Value null at 'keyId' failed to satisfy constraint: Member must not be null");

        HttpResponse<String> iam = admin.iam("Action=CreateUser&Version=2010-05-08");
        assertXmlError(iam, 400, "ValidationError");
        assertThat(iam.body()).contains("Value null at 'userName'");
    }

    @Test
    void unknownActionsAreRejectedInTheCallersProtocol() throws Exception {
        assertJsonError(admin.kms("TrentService.MakeCoffee", "{}"), 400, "UnknownOperationException");
        assertJsonError(admin.kms("SomethingElse.Describe", "{}"), 400, "UnknownOperationException");
        HttpResponse<String> iam = admin.iam("Action=MakeCoffee&Version=2010-05-08");
        assertXmlError(iam, 400, "InvalidAction");
        assertThat(iam.body()).contains("Could not find operation MakeCoffee for version 2010-05-08");
        assertXmlError(admin.iam("Version=2010-05-08"), 400, "MissingAction");
        assertXmlError(admin.iam("Action=ListUsers&Version=1999-01-01"), 400, "NoSuchVersion");
    }

    @Test
    void malformedFormBodiesAreRejected() throws Exception {
        assertXmlError(admin.iam("Action=ListUsers&Version=2010-05-08&Marker=%zz"), 400, "MalformedQueryString");
    }

    @Test
    void badArnsAreRejected() throws Exception {
        HttpResponse<String> policy = admin.iam("Action=GetPolicy&Version=2010-05-08&PolicyArn=arn%3Aaws%3Aiam");
        assertXmlError(policy, 400, "InvalidInput");
        HttpResponse<String> key = admin.kms("TrentService.DescribeKey", "{\"KeyId\":\"arn:aws:kms:::::\"}");
        assertJsonError(key, 400, "NotFoundException");
        assertJsonError(admin.kms("TrentService.DescribeKey", "{\"KeyId\":\"not-a-uuid\"}"), 400, "NotFoundException");
    }

    @Test
    void malformedPolicyDocumentsAreRejectedWithoutEchoingInternals() throws Exception {
        HttpResponse<String> iam = admin.iam("Action=CreatePolicy&Version=2010-05-08&PolicyName=p&PolicyDocument=%7B%22Statement%22%3A%5B%5D%7D");
        assertXmlError(iam, 400, "MalformedPolicyDocument");
        HttpResponse<String> kms = admin.kms("TrentService.CreateKey", "{\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"}");
        assertJsonError(kms, 400, "MalformedPolicyDocumentException");
    }

    @Test
    void bodiesOverOneMebibyteAreRefusedWith413() throws Exception {
        String kms = admin.sendOversized(Map.of("X-Amz-Target", "TrentService.Encrypt",
                "Content-Type", "application/x-amz-json-1.1"), 2L * 1024 * 1024);
        assertThat(kms).startsWith("HTTP/1.1 413").contains("\"__type\":\"RequestEntityTooLargeException\"");

        String iam = admin.sendOversized(Map.of("Content-Type", "application/x-www-form-urlencoded"), 5L * 1024 * 1024);
        assertThat(iam).startsWith("HTTP/1.1 413").contains("<Code>RequestEntityTooLarge</Code>");

        String big = "{\"Description\":\"" + "x".repeat(1024 * 1024) + "\"}";
        HttpResponse<String> sent = admin.kms("TrentService.CreateKey", big);
        assertJsonError(sent, 413, "RequestEntityTooLargeException");
    }

    @Test
    void unauthenticatedAndMalformedAuthenticationAreRejected() throws Exception {
        HttpResponse<String> noAuth = admin.unsignedPost(Map.of("X-Amz-Target", "TrentService.ListKeys",
                "Content-Type", "application/x-amz-json-1.1"), "{}");
        assertJsonError(noAuth, 400, "MissingAuthenticationTokenException");

        HttpResponse<String> noAuthIam = admin.unsignedPost(Map.of("Content-Type", "application/x-www-form-urlencoded"),
                "Action=ListUsers&Version=2010-05-08");
        assertXmlError(noAuthIam, 403, "MissingAuthenticationToken");

        HttpResponse<String> garbage = admin.unsignedPost(Map.of("X-Amz-Target", "TrentService.ListKeys",
                "Content-Type", "application/x-amz-json-1.1", "Authorization", "Bearer something"), "{}");
        assertJsonError(garbage, 400, "IncompleteSignatureException");

        HttpResponse<String> stale = admin.unsignedPost(Map.of("X-Amz-Target", "TrentService.ListKeys",
                "Content-Type", "application/x-amz-json-1.1", "X-Amz-Date", "20150830T123600Z",
                "Authorization", "AWS4-HMAC-SHA256 Credential=test/20150830/us-east-2/kms/aws4_request, "
                        + "SignedHeaders=content-type;host;x-amz-date, Signature=" + "0".repeat(64)), "{}");
        assertJsonError(stale, 400, "InvalidSignatureException");
        assertThat(stale.body()).contains("Signature expired");
    }

    @Test
    void theRequestLogRecordsRejectionsWithoutSecrets() throws Exception {
        admin.kms("TrentService.MakeCoffee", "{}");
        assertThat(aws.requestLog().entries("kms", "MakeCoffee")).last().satisfies(entry -> {
            assertThat(entry.outcome()).isEqualTo("UnknownOperationException");
            assertThat(entry.status()).isEqualTo(400);
            assertThat(entry.callerArn()).isEqualTo("arn:aws:iam::123456789012:root");
        });
    }
}
