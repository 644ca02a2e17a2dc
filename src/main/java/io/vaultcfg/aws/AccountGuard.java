package io.vaultcfg.aws;

import java.util.Optional;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The optional expected account: checked with GetCallerIdentity before any other AWS call, so a
 * wrong profile, role or environment reads and writes nothing in the wrong account.
 */
public final class AccountGuard {
    private final Optional<String> expected;

    public AccountGuard(Optional<String> expected) {
        this.expected = expected;
    }

    /** 12 digits, as AWS writes account ids. */
    public static boolean wellFormed(String accountId) {
        return accountId.matches("\\d{12}");
    }

    /** Throws {@link AwsFailure} when the provisioning identity is in another account; no call when nothing is expected. */
    public void check(AwsClients clients) {
        if (expected.isEmpty()) {
            return;
        }
        GetCallerIdentityResponse caller = AwsReader.call("sts:GetCallerIdentity", () -> clients.sts().getCallerIdentity());
        if (!caller.account().equals(expected.get())) {
            throw new AwsFailure("refused: the provisioning identity " + caller.arn() + " is in AWS account " + caller.account()
                    + ", but aws_account_id is " + expected.get() + "; nothing else was read or changed. Use credentials "
                    + "(aws_profile, aws_assume_role_arn) for account " + expected.get() + ", or correct aws_account_id");
        }
    }
}
