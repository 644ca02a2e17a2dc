package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.auth.SigV4Verifier;
import io.vaultcfg.aws.emulator.request.AwsRequest;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The signature arithmetic against AWS's published example. */
class SigV4VerifierTest {
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    private static AwsRequest awsDocumentationExample() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-type", List.of("application/x-www-form-urlencoded; charset=utf-8"));
        headers.put("host", List.of("iam.amazonaws.com"));
        headers.put("x-amz-date", List.of("20150830T123600Z"));
        headers.put("authorization", List.of("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
                + "SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"));
        return new AwsRequest("GET", "/", "Action=ListUsers&Version=2010-05-08", headers, new byte[0]);
    }

    @Test
    void reproducesTheAwsDocumentationExample() {
        AwsRequest request = awsDocumentationExample();
        SigV4Verifier.ParsedAuthorization auth = SigV4Verifier.parse(request.header("authorization"));

        assertThat(auth.accessKeyId()).isEqualTo("AKIDEXAMPLE");
        assertThat(auth.region()).isEqualTo("us-east-1");
        assertThat(auth.service()).isEqualTo("iam");
        assertThat(SigV4Verifier.sha256Hex(SigV4Verifier.canonicalRequest(request, auth.signedHeaders())))
                .isEqualTo("f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59");
        assertThat(HexFormat.of().formatHex(SigV4Verifier.signingKey(SECRET, "20150830", "us-east-1", "iam")))
                .isEqualTo("c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
        assertThat(SigV4Verifier.verify(request, auth, SECRET)).isTrue();
    }

    @Test
    void anyChangeToASignedPartBreaksTheSignature() {
        AwsRequest request = awsDocumentationExample();
        SigV4Verifier.ParsedAuthorization auth = SigV4Verifier.parse(request.header("authorization"));
        AwsRequest otherQuery = new AwsRequest("GET", "/", "Action=ListUsers&Version=2010-05-09", request.headers(), new byte[0]);
        AwsRequest otherBody = new AwsRequest("GET", "/", request.rawQuery(), request.headers(), new byte[]{1});

        assertThat(SigV4Verifier.verify(request, auth, SECRET + "x")).isFalse();
        assertThat(SigV4Verifier.verify(otherQuery, auth, SECRET)).isFalse();
        assertThat(SigV4Verifier.verify(otherBody, auth, SECRET)).isFalse();
    }
}
