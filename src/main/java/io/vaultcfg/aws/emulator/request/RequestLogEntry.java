package io.vaultcfg.aws.emulator.request;

import java.time.Instant;

/**
 * One handled request: which service and action, who called (ARN and access key id, null when authentication
 * failed before the caller was known), the HTTP status, the outcome ("OK" or the AWS error code) and the address
 * the connection came from (null when unknown). Holds no secrets and no plaintext by construction.
 */
public record RequestLogEntry(Instant time, String service, String action, String callerArn, String accessKeyId,
                              int status, String outcome, String sourceAddress) {

    public boolean succeeded() {
        return "OK".equals(outcome);
    }

    @Override
    public String toString() {
        return time + " " + service + ":" + action + " caller=" + (callerArn == null ? "-" : callerArn)
                + " key=" + (accessKeyId == null ? "-" : accessKeyId) + " from=" + (sourceAddress == null ? "-" : sourceAddress)
                + " -> " + status + " " + outcome;
    }
}
