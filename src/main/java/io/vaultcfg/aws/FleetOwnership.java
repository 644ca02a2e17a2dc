package io.vaultcfg.aws;

import java.util.Locale;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.Tag;

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

    /** Reads the user's tags (ListUserTags; keys compared without case, as IAM does). */
    public static Optional<String> taggedFleet(AwsClients clients, String userName) {
        for (Tag tag : AwsReader.call("iam:ListUserTags", () -> clients.iam().listUserTags(r -> r.userName(userName))).tags()) {
            if (tag.key().toLowerCase(Locale.ROOT).equals(TAG)) {
                return Optional.of(tag.value());
            }
        }
        return Optional.empty();
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
