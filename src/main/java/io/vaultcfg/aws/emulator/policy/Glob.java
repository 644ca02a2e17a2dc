package io.vaultcfg.aws.emulator.policy;

/** IAM-style wildcard matching: {@code *} matches any run of characters, {@code ?} exactly one. */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String pattern, String value, boolean ignoreCase) {
        int p = 0;
        int v = 0;
        int starAt = -1;
        int valueAtStar = 0;
        while (v < value.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || same(pattern.charAt(p), value.charAt(v), ignoreCase))) {
                p++;
                v++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                starAt = p++;
                valueAtStar = v;
            } else if (starAt >= 0) {
                p = starAt + 1;
                v = ++valueAtStar;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
