package io.vaultcfg.aws.emulator.policy;

import java.util.List;

/**
 * The {@code Principal} element of a resource policy. Only the {@code AWS} kind can match callers of this
 * emulator; {@code Service}/{@code Federated} entries are kept but never match.
 */
public record Principals(boolean anyone, List<String> awsPrincipals) {

    /** How a caller relates to this principal list. */
    public enum Match { NONE, ACCOUNT, DIRECT }

    public Match match(java.util.Collection<String> callerArns, String accountId) {
        if (anyone) {
            return Match.DIRECT;
        }
        Match best = Match.NONE;
        for (String principal : awsPrincipals) {
            if (principal.equals("*") || callerArns.contains(principal)) {
                return Match.DIRECT;
            }
            if (principal.equals(accountId) || principal.equals("arn:aws:iam::" + accountId + ":root")) {
                best = Match.ACCOUNT;
            }
        }
        return best;
    }
}
