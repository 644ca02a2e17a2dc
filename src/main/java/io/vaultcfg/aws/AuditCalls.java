package io.vaultcfg.aws;

import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The audit's reads: each check runs on its own, so a read the credentials may not make ("AccessDenied") leaves that
 * check "not checked" and the others go on; any other failure is that check's error.
 */
final class AuditCalls {
    private AuditCalls() {
    }

    /** A read the credentials were refused. */
    static final class Denied extends RuntimeException {
        Denied(String action) {
            super("not checked: the audit's credentials may not call " + action + " (AccessDenied)", null, false, false);
        }
    }

    /** Runs a read; AccessDenied becomes {@link Denied}, "does not exist" {@link AwsReader.NotFoundFlag}. */
    static <T> T read(String action, Supplier<T> request) {
        return AwsReader.call(action, () -> {
            try {
                return request.get();
            } catch (AwsServiceException e) {
                if (accessDenied(e)) {
                    throw new Denied(action);
                }
                throw e;
            }
        });
    }

    /** The check's line: what {@code check} answers, or not checked, or the error that stopped it. */
    static AuditLine check(String name, Supplier<AuditLine> check) {
        try {
            return check.get();
        } catch (Denied | AwsFailure | AwsReader.NotFoundFlag e) {
            return notRead(name, e);
        }
    }

    /** The line of a check whose read failed: not checked when the credentials were refused it, else an error. */
    static AuditLine notRead(String check, RuntimeException e) {
        return e instanceof Denied ? new AuditLine(check, AuditLine.Result.NOT_CHECKED, e.getMessage())
                : AuditLine.error(check, "cannot read: " + e.getMessage());
    }

    private static boolean accessDenied(AwsServiceException e) {
        return e.awsErrorDetails() != null && String.valueOf(e.awsErrorDetails().errorCode()).startsWith("AccessDenied");
    }
}
