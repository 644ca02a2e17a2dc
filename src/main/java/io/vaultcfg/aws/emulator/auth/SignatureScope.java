package io.vaultcfg.aws.emulator.auth;

import io.vaultcfg.aws.emulator.request.AwsRequest;

import java.util.List;
import java.util.Locale;

/**
 * What a valid signature must cover besides the arithmetic: the {@code host} header and every {@code x-amz-*}
 * header (otherwise a captured request could be re-addressed, or sent as another KMS action by changing
 * {@code X-Amz-Target}), and a credential scope naming the service the request goes to.
 */
final class SignatureScope {
    private static final String AMZ_PREFIX = "x-amz-";

    private SignatureScope() {
    }

    static void check(AwsRequest request, SigV4Verifier.ParsedAuthorization auth, String service) {
        List<String> signed = auth.signedHeaders();
        if (!signed.contains("host")) {
            throw new AuthenticationException(AuthFailure.INCOMPLETE_SIGNATURE, auth.accessKeyId(),
                    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
        for (String name : request.headers().keySet()) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(AMZ_PREFIX) && !signed.contains(lower)) {
                throw new AuthenticationException(AuthFailure.INCOMPLETE_SIGNATURE, auth.accessKeyId(),
                        "There were headers present in the request which were not signed: " + lower);
            }
        }
        if (service != null && !service.equals(auth.service())) {
            throw new AuthenticationException(AuthFailure.BAD_SIGNATURE, auth.accessKeyId(),
                    "Credential should be scoped to correct service: '" + service + "'.");
        }
    }
}
