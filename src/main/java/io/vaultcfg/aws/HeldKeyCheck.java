package io.vaultcfg.aws;

import java.util.List;
import java.util.Set;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Does AWS accept an access key pair that hosts hold? A signed kms:DescribeKey on the seal key with the
 * pair itself: read-only, so it runs in check mode too. Only an answer about the credentials counts as
 * "rejected"; throttling that outlasted the retries, a 5xx or a network error says nothing about the
 * key, and taking it for a rejection would make a new key for a fleet whose key works. Those stop the run.
 */
public final class HeldKeyCheck {
    /**
     * What KMS (JSON codes) and the query services (IAM, STS) answer for an unknown or inactive key, a
     * wrong secret, a malformed signature, or a key whose user may not use the seal key.
     */
    static final Set<String> REJECTIONS = Set.of("UnrecognizedClientException", "InvalidClientTokenId",
            "InvalidSignatureException", "SignatureDoesNotMatch", "IncompleteSignatureException", "IncompleteSignature",
            "AccessDeniedException", "AccessDenied");

    private final AwsClients clients;

    public HeldKeyCheck(AwsClients clients) {
        this.clients = clients;
    }

    /**
     * @param hosts the hosts holding the pair, named when the check cannot be made
     * @return whether AWS accepts the pair for {@code keyArn}
     * @throws AwsFailure when AWS could not answer the question; nothing has been changed yet
     */
    public boolean accepts(HeldCredentials pair, String keyArn, List<String> hosts) {
        AwsCredentialsProvider hostPair = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(pair.accessKeyId(), pair.secretAccessKey()));
        try {
            clients.kms().describeKey(r -> r.keyId(keyArn).overrideConfiguration(o -> o.credentialsProvider(hostPair)));
            return true;
        } catch (SdkException e) {
            if (rejectsCredentials(e)) {
                return false;
            }
            throw new AwsFailure("could not check access key " + pair.accessKeyId() + " of "
                    + (hosts.size() == 1 ? "host " : "hosts ") + String.join(", ", hosts) + ": "
                    + AwsFailure.of("kms:DescribeKey", e).getMessage() + " (after retries); "
                    + "that is not a rejection of the key, so nothing was changed by this play; run again");
        }
    }

    static boolean rejectsCredentials(SdkException e) {
        if (!(e instanceof AwsServiceException service) || service.awsErrorDetails() == null
                || service.isThrottlingException() || service.statusCode() >= 500) {
            return false;
        }
        return REJECTIONS.contains(service.awsErrorDetails().errorCode());
    }
}
