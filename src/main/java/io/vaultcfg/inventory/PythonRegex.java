package io.vaultcfg.inventory;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A {@code ~regex} host pattern read as Ansible reads it: Python's {@code re.match}, anchored at the
 * start only. Only the syntax Java and Python read alike is accepted; anything they read differently
 * (possessive quantifiers, {@code \p{..}}, named groups, inline flags, look-behind, nested classes,
 * numeric escapes, {@code \Z}) is refused with the reason, so a pattern never selects other hosts
 * than Ansible would.
 */
final class PythonRegex {
    private static final String CLASS_ESCAPES = "dDwWsS";
    private static final String PLAIN_ESCAPES = "ntrf";

    private final Pattern pattern;
    private final boolean usesClassEscapes;

    private PythonRegex(Pattern pattern, boolean usesClassEscapes) {
        this.pattern = pattern;
        this.usesClassEscapes = usesClassEscapes;
    }

    /** Throws IllegalArgumentException naming the construct when the two engines may disagree. */
    static PythonRegex compile(String regex) {
        boolean classEscapes = vet(regex);
        try {
            // UNIX_LINES: '.', '^' and '$' know only '\n' as a line end, as in Python
            return new PythonRegex(Pattern.compile(regex, Pattern.UNIX_LINES), classEscapes);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regular expression '" + regex + "': " + e.getDescription());
        }
    }

    /** Python's re.match: the pattern must match at the start of the name, not the whole name. */
    boolean matchesStartOf(String name) {
        if (usesClassEscapes && !name.chars().allMatch(c -> c < 128)) {
            throw new IllegalArgumentException("the name '" + name + "' is not ASCII, where \\w \\d \\s \\b read "
                    + "differently in Python; write the characters out in the regex");
        }
        return pattern.matcher(name).lookingAt();
    }

    private static boolean vet(String regex) {
        boolean classEscapes = false;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= regex.length()) {
                    throw refused(regex, "a trailing backslash");
                }
                char next = regex.charAt(++i);
                if (CLASS_ESCAPES.indexOf(next) >= 0 || (!inClass && "bB".indexOf(next) >= 0)) {
                    classEscapes = true;
                } else if (next == 'x') {
                    if (i + 2 >= regex.length() || !isHex(regex.charAt(i + 1)) || !isHex(regex.charAt(i + 2))) {
                        throw refused(regex, "\\x not followed by two hex digits");
                    }
                } else if (Character.isLetterOrDigit(next) && PLAIN_ESCAPES.indexOf(next) < 0 && !(next == 'A' && !inClass)) {
                    throw refused(regex, "the escape \\" + next + " (Java and Python read it differently, or one lacks it)");
                }
                continue;
            }
            if (inClass) {
                if (c == '[') {
                    throw refused(regex, "'[' inside a character class (Java nests classes there); write \\[");
                }
                if (c == '&' && i + 1 < regex.length() && regex.charAt(i + 1) == '&') {
                    throw refused(regex, "'&&' inside a character class (Java intersects classes there)");
                }
                if (c == ']') {
                    inClass = false;
                }
                continue;
            }
            switch (c) {
                case '[' -> {
                    inClass = true;
                    int first = i + 1 < regex.length() && regex.charAt(i + 1) == '^' ? i + 2 : i + 1;
                    if (first < regex.length() && regex.charAt(first) == ']') {
                        throw refused(regex, "']' first in a character class; write \\]");
                    }
                }
                case '(' -> {
                    if (i + 1 < regex.length() && regex.charAt(i + 1) == '?') {
                        String rest = regex.substring(i + 2);
                        if (!(rest.startsWith(":") || rest.startsWith("=") || rest.startsWith("!"))) {
                            throw refused(regex, "the group '(?" + rest.substring(0, Math.min(3, rest.length()))
                                    + "' (named groups, flags and look-behind differ between Java and Python)");
                        }
                    }
                }
                case '*', '+', '?', '}' -> {
                    if (i + 1 < regex.length() && regex.charAt(i + 1) == '+') {
                        throw refused(regex, "a possessive quantifier '" + c + "+'");
                    }
                }
                default -> {
                }
            }
        }
        return classEscapes;
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static IllegalArgumentException refused(String regex, String what) {
        return new IllegalArgumentException("the regular expression '" + regex + "' uses " + what
                + ", which Ansible (Python) would read differently; rewrite it with plain syntax");
    }
}
