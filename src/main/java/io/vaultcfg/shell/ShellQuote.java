package io.vaultcfg.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * POSIX shell quoting: every remote argument goes through here, so no value can inject shell. A
 * command word is quoted more strictly than an operand: bare {@code NAME=value} in first position is an
 * environment assignment, and a bare reserved word ({@code if}, {@code !}, …) changes the grammar.
 */
public final class ShellQuote {
    private static final Set<String> RESERVED = Set.of("!", "{", "}", "case", "do", "done", "elif", "else", "esac", "fi",
            "for", "if", "in", "then", "until", "while", "function", "select", "time", "[[", "]]", "coproc");

    private ShellQuote() {
    }

    /** One operand: bare when it is plain, else single-quoted. */
    public static String quote(String argument) {
        if (!argument.isEmpty() && argument.chars().allMatch(ShellQuote::isSafe)) {
            return argument;
        }
        return forced(argument);
    }

    /** A word in command position: also quoted when it would be read as an assignment or a reserved word. */
    public static String commandWord(String word) {
        if (word.indexOf('=') >= 0 || RESERVED.contains(word)) {
            return forced(word);
        }
        return quote(word);
    }

    /** A whole argument vector; the first word is the program. */
    public static String join(List<String> argv) {
        List<String> words = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            words.add(i == 0 ? commandWord(argv.get(i)) : quote(argv.get(i)));
        }
        return String.join(" ", words);
    }

    private static String forced(String argument) {
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == ',' || c == '+';
    }
}
