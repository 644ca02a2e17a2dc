package io.vaultcfg.aws;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the next run must know about the seal user's access keys, kept as tags on the IAM user (AWS
 * holds the state; the controller keeps none). Tag keys compare without regard to case, as in IAM.
 * <ul>
 *   <li>{@value #IN_USE}: the access key id the fleet uses (last delivered or confirmed);</li>
 *   <li>{@value #UNDELIVERED_PREFIX}{@code <id>}: created at that instant, not yet known to be on a host
 *       (a run cut off between creating and delivering leaves it);</li>
 *   <li>{@value #DEACTIVATED_PREFIX}{@code <id>}: made Inactive by vaultcfg at that instant; deleted by a
 *       later run once no host holds it.</li>
 * </ul>
 */
public record AccessKeyTags(Optional<String> inUse, Map<String, Instant> undelivered, Map<String, Instant> deactivated,
                            Set<String> allKeys) {
    public static final String IN_USE = "vaultcfg:access-key";
    public static final String UNDELIVERED_PREFIX = "vaultcfg:undelivered:";
    public static final String DEACTIVATED_PREFIX = "vaultcfg:deactivated:";

    public static AccessKeyTags of(Map<String, String> userTags) {
        Optional<String> inUse = Optional.empty();
        Map<String, Instant> undelivered = new LinkedHashMap<>();
        Map<String, Instant> deactivated = new LinkedHashMap<>();
        Set<String> keys = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> tag : userTags.entrySet()) {
            String key = tag.getKey().toLowerCase(Locale.ROOT);
            keys.add(tag.getKey());
            if (key.equals(IN_USE)) {
                inUse = Optional.of(tag.getValue());
            } else if (key.startsWith(UNDELIVERED_PREFIX)) {
                undelivered.put(tag.getKey().substring(UNDELIVERED_PREFIX.length()).toUpperCase(Locale.ROOT), instant(tag.getValue()));
            } else if (key.startsWith(DEACTIVATED_PREFIX)) {
                deactivated.put(tag.getKey().substring(DEACTIVATED_PREFIX.length()).toUpperCase(Locale.ROOT), instant(tag.getValue()));
            }
        }
        return new AccessKeyTags(inUse, Map.copyOf(undelivered), Map.copyOf(deactivated), Set.copyOf(keys));
    }

    public static AccessKeyTags none() {
        return of(Map.of());
    }

    /** The tag keys naming {@code accessKeyId}, as they are spelled on the user. */
    public Set<String> tagKeysOf(String accessKeyId) {
        Set<String> found = new TreeSet<>();
        for (String key : allKeys) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (lower.equals(UNDELIVERED_PREFIX + accessKeyId.toLowerCase(Locale.ROOT))
                    || lower.equals(DEACTIVATED_PREFIX + accessKeyId.toLowerCase(Locale.ROOT))) {
                found.add(key);
            }
        }
        return found;
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
