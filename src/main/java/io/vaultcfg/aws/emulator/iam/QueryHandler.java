package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;

/** One IAM action. */
@FunctionalInterface
public interface QueryHandler {
    void handle(CallContext call, QueryParams params, XmlWriter result);
}
