package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.QueryParams;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's rules for the tags of users: keys 1-128 and values 0-256 characters of the model's pattern, no {@code aws:}
 * prefix, at most 50 per user, and keys compared without regard to case (a tag {@code env} replaces a tag
 * {@code Env}; both in one request is an error), as IAM answers for users and roles.
 */
final class IamTags {
    static final int MAX_TAGS = 50;
    private static final Pattern KEY = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}");
    private static final Pattern VALUE = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,256}");

    private IamTags() {
    }

    /** The {@code Tags.member.N} of a request, validated; empty when there are none. */
    static Map<String, String> requested(QueryParams params) {
        Map<String, String> tags = params.tags("Tags");
        int count = params.tagCount("Tags");
        if (count > MAX_TAGS) {
            throw IamErrors.validation("1 validation error detected: Value at 'tags' failed to satisfy constraint: "
                    + "Member must have length less than or equal to " + MAX_TAGS);
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            requireValid(tag.getKey(), tag.getValue());
            if (seen.put(tag.getKey().toLowerCase(Locale.ROOT), tag.getKey()) != null) {
                throw duplicate();
            }
        }
        if (count != tags.size()) {
            throw duplicate();
        }
        return tags;
    }

    /** {@code existing} with {@code added} applied: a key equal but for case replaces the old key and value. */
    static Map<String, String> merge(Map<String, String> existing, Map<String, String> added) {
        Map<String, String> result = new LinkedHashMap<>(existing);
        added.forEach((key, value) -> {
            result.keySet().removeIf(old -> old.equalsIgnoreCase(key));
            result.put(key, value);
        });
        if (result.size() > MAX_TAGS) {
            throw IamErrors.limitExceeded("Cannot exceed quota for TagsPerUser: " + MAX_TAGS);
        }
        return result;
    }

    static Map<String, String> without(Map<String, String> existing, List<String> keys) {
        Map<String, String> result = new LinkedHashMap<>(existing);
        keys.forEach(key -> result.keySet().removeIf(old -> old.equalsIgnoreCase(key)));
        return result;
    }

    private static void requireValid(String key, String value) {
        if (!KEY.matcher(key).matches()) {
            throw IamErrors.validation("1 validation error detected: Value '" + key + "' at 'tags.member.key' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
        }
        if (!VALUE.matcher(value).matches()) {
            throw IamErrors.validation("1 validation error detected: Value at 'tags.member.value' failed to satisfy "
                    + "constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
        }
        if (key.regionMatches(true, 0, "aws:", 0, 4)) {
            throw IamErrors.invalidInput("User-defined tag keys can't start with 'aws:'.");
        }
    }

    private static AwsServiceException duplicate() {
        return IamErrors.invalidInput("Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
}
