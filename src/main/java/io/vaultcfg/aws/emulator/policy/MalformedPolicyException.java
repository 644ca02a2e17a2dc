package io.vaultcfg.aws.emulator.policy;

/** A policy document that IAM/KMS would reject with MalformedPolicyDocument; the message is AWS's wording. */
public final class MalformedPolicyException extends Exception {
    public MalformedPolicyException(String message) {
        super(message);
    }
}
