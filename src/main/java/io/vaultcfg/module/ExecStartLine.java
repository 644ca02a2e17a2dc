package io.vaultcfg.module;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A unit's {@code ExecStart=} as systemd splits it (prefixes {@code @ - : + !}, double and single quotes,
 * backslash escapes), and the configuration paths a Vault/OpenBao {@code server} is given: {@code -config=PATH},
 * {@code -config PATH} and their {@code --config} spellings, in order.
 */
record ExecStartLine(List<String> argv) {
    static Optional<ExecStartLine> parse(String value) {
        String text = value.strip();
        while (!text.isEmpty() && "@-:+!".indexOf(text.charAt(0)) >= 0) {
            text = text.substring(1);
        }
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '\\' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            return Optional.empty();
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words.isEmpty() ? Optional.empty() : Optional.of(new ExecStartLine(List.copyOf(words)));
    }

    /** The {@code -config} values, in order; a flag without its value is skipped. */
    List<String> configPaths() {
        List<String> paths = new ArrayList<>();
        for (int i = 1; i < argv.size(); i++) {
            String word = argv.get(i);
            if (word.startsWith("-config=") || word.startsWith("--config=")) {
                paths.add(word.substring(word.indexOf('=') + 1));
            } else if ((word.equals("-config") || word.equals("--config")) && i + 1 < argv.size()) {
                paths.add(argv.get(++i));
            } else if (word.equals("--")) {
                break;
            }
        }
        return paths;
    }

    /** The line with {@code -config=PATH} added after the last configuration flag (or at the end). */
    String withConfig(String path) {
        List<String> words = new ArrayList<>(argv);
        words.add("-config=" + path);
        StringBuilder line = new StringBuilder();
        for (String word : words) {
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word.matches("[A-Za-z0-9_@%+=:,./-]+") ? word : "\"" + word.replace("\\", "\\\\").replace("\"", "\\\"") + "\"");
        }
        return line.toString();
    }
}
