package io.vaultcfg.ssh;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every remote argument goes through here, so no value can inject shell. */
public final class ShellQuote {
    private ShellQuote() {
    }

    public static String quote(String argument) {
        if (!argument.isEmpty() && argument.chars().allMatch(ShellQuote::isSafe)) {
            return argument;
        }
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '/' || c == ':' || c == '=' || c == '@' || c == ',' || c == '+';
    }
}
