package io.vaultcfg.aws;

/**
 * One practice of the seed as {@code vaultcfg audit} found it on AWS: followed, not followed (a finding), an error
 * (the practice broken in a way that seals the fleet soon, or a read that failed), or not checked (the credentials
 * may not read it). The detail never holds a secret.
 */
public record AuditLine(String check, Result result, String detail) {
    public enum Result { OK, FINDING, ERROR, NOT_CHECKED }

    static AuditLine ok(String check, String detail) {
        return new AuditLine(check, Result.OK, detail);
    }

    static AuditLine finding(String check, String detail) {
        return new AuditLine(check, Result.FINDING, detail);
    }

    static AuditLine error(String check, String detail) {
        return new AuditLine(check, Result.ERROR, detail);
    }

    static AuditLine notChecked(String check, String why) {
        return new AuditLine(check, Result.NOT_CHECKED, "not checked: " + why);
    }
}
