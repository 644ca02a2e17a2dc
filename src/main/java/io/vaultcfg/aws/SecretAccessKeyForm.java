package io.vaultcfg.aws;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an AWS secret access key looks like: exactly 40 characters of {@code [A-Za-z0-9/+]}. A value read
 * from a host is only treated as a secret in this form: a compromised host must not be able to make
 * ordinary words ("failed", a host name) vanish from every message of a run.
 */
public final class SecretAccessKeyForm {
    private static final String KEY_CHARACTER = "[A-Za-z0-9/+]";
    private static final Pattern KEY_INSIDE = Pattern.compile(
            "(?<!" + KEY_CHARACTER + ")" + KEY_CHARACTER + "{40}(?!" + KEY_CHARACTER + ")");

    private SecretAccessKeyForm() {
    }

    /**
     * The well-formed keys in a value as a host wrote it: the value itself, or a key that a stray quote,
     * space or comment around it kept the value from matching (such a line could otherwise show a real
     * key in a diff).
     */
    public static List<String> keysWithin(String value) {
        if (value == null) {
            return List.of();
        }
        return KEY_INSIDE.matcher(value).results().map(match -> match.group()).toList();
    }
}
