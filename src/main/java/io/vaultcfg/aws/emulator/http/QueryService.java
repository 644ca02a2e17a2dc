package io.vaultcfg.aws.emulator.http;

/** An awsQuery service (IAM, STS): writes the contents of {@code <ActionResult>} for one action. */
public interface QueryService {
    void handle(String action, CallContext call, QueryParams params, XmlWriter result);
}
