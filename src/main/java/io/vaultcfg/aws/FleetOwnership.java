package io.vaultcfg.aws;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;


/**
 * The IAM user carries the fleet it serves as a tag. A run for another fleet (another alias or
 * region, or another {@code vaultcfg_fleet}) refuses to touch it: rewriting its policy or keys would
 * seal the fleet that uses it.
 */
public final class FleetOwnership {
    public static final String TAG = "vaultcfg:fleet";

    private FleetOwnership() {
    }

    /** The default fleet name: the alias and the region, which together name one KMS key. */
    public static String defaultFleet(String alias, String region) {
        return alias + "@" + region;
    }

    /** What the user's tag says about this run: tag it, leave it, or stop. */
    public record Verdict(boolean needsTag, Optional<String> refusal) {
    }

    /** The fleet named by the user's tags, as {@link AwsReader} read them (keys compared without case, as IAM does). */
    public static Optional<String> taggedFleet(AwsState.User user) {
        return user.tags().entrySet().stream().filter(tag -> tag.getKey().toLowerCase(Locale.ROOT).equals(TAG))
                .map(Map.Entry::getValue).findFirst();
    }

    public static Verdict judge(String userName, Optional<String> tagged, String fleet) {
        if (tagged.isEmpty()) {
            return new Verdict(true, Optional.empty());
        }
        if (tagged.get().equals(fleet)) {
            return new Verdict(false, Optional.empty());
        }
        return new Verdict(false, Optional.of("refused: IAM user " + userName + " is tagged " + TAG + "=" + tagged.get()
                + ", a fleet other than this one (" + fleet + "); changing its policy or access keys would cut that fleet off. "
                + "Give this fleet its own user and policy (iam_user, iam_policy), or, if that user really serves this fleet now, "
                + "retag it: aws iam tag-user --user-name " + userName + " --tags Key=" + TAG + ",Value=" + fleet));
    }
}
