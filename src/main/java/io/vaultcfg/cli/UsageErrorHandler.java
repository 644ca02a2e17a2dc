package io.vaultcfg.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Every usage error (unknown option or command, missing or malformed value, a value out of range)
 * exits 1 with one line naming what was wrong and the command's {@code --help}. picocli's own
 * default is exit 2, which {@code apply --check} uses for "changes pending": a drift job must never
 * act on a typo.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    static final int EXIT_USAGE = 1;

    @Override
    public int handleParseException(ParameterException error, String[] args) {
        CommandLine command = error.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + describe(error, args) + "; see '" + command.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return EXIT_USAGE;
    }

    static String describe(ParameterException error, String[] args) {
        String message = error instanceof UnmatchedArgumentException unmatched
                ? unmatched(unmatched, List.of(args))
                : String.valueOf(error.getMessage());
        return message.endsWith(".") ? message.substring(0, message.length() - 1) : message;
    }

    /**
     * Options and command names are named; any other stray word is not echoed, since it may be a
     * secret that lost its option (e.g. {@code -e KEY= value}).
     */
    private static String unmatched(UnmatchedArgumentException error, List<String> args) {
        List<String> words = error.getUnmatched();
        if (words.isEmpty()) {
            return String.valueOf(error.getMessage());
        }
        String first = words.get(0);
        String more = words.size() > 1 ? " (and " + (words.size() - 1) + " more unexpected)" : "";
        if (first.startsWith("-")) {
            int equals = first.indexOf('=');
            String option = equals > 0 ? first.substring(0, equals) : first;
            return "unknown option '" + option + "'" + suggestion(error) + more;
        }
        if (!error.getCommandLine().getSubcommands().isEmpty()) {
            return "unknown command '" + first + "'" + suggestion(error) + more;
        }
        return "unexpected argument " + (args.indexOf(first) + 1) + " (not shown: it may be a secret)" + more;
    }

    private static String suggestion(UnmatchedArgumentException error) {
        List<String> suggestions = error.getSuggestions();
        return suggestions.isEmpty() ? "" : " (did you mean '" + String.join("' or '", suggestions.stream().limit(3).toList()) + "'?)";
    }
}
