package io.vaultcfg.module;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of an HCL (version 1, as Vault and OpenBao read their configuration) text: comments ({@code #},
 * {@code //}, {@code /* *}{@code /}) dropped, strings unquoted (with {@code ${...}} interpolations kept as text),
 * heredocs as strings, each token with its line. Only as much HCL as finding {@code seal} blocks needs.
 */
final class HclTokens {
    enum Kind { WORD, STRING, PUNCT }

    record Token(Kind kind, String text, int line) {
        boolean is(String punct) {
            return kind == Kind.PUNCT && text.equals(punct);
        }
    }

    /** Text that is not HCL as vaultcfg reads it: where and why. */
    static final class Unreadable extends Exception {
        final int line;

        Unreadable(int line, String why) {
            super(why, null, false, false);
            this.line = line;
        }
    }

    private final String text;
    private int at;
    private int line = 1;

    private HclTokens(String text) {
        this.text = text;
    }

    static List<Token> of(String text) throws Unreadable {
        return new HclTokens(text).all();
    }

    private List<Token> all() throws Unreadable {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipBlanksAndComments();
            if (at >= text.length()) {
                return tokens;
            }
            char c = text.charAt(at);
            int start = line;
            if (c == '"') {
                tokens.add(new Token(Kind.STRING, string(), start));
            } else if (c == '<' && text.startsWith("<<", at)) {
                tokens.add(new Token(Kind.STRING, heredoc(), start));
            } else if ("{}[]=,".indexOf(c) >= 0) {
                at++;
                tokens.add(new Token(Kind.PUNCT, String.valueOf(c), start));
            } else if (Character.isLetterOrDigit(c) || "_-.+:/".indexOf(c) >= 0) {
                int from = at;
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || "_-.+:/".indexOf(text.charAt(at)) >= 0)) {
                    at++;
                }
                tokens.add(new Token(Kind.WORD, text.substring(from, at), start));
            } else {
                throw new Unreadable(line, "unexpected character '" + c + "'");
            }
        }
    }

    private void skipBlanksAndComments() throws Unreadable {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                line++;
                at++;
            } else if (Character.isWhitespace(c)) {
                at++;
            } else if (c == '#' || text.startsWith("//", at)) {
                while (at < text.length() && text.charAt(at) != '\n') {
                    at++;
                }
            } else if (text.startsWith("/*", at)) {
                int start = line;
                int end = text.indexOf("*/", at + 2);
                if (end < 0) {
                    throw new Unreadable(start, "a comment that never ends");
                }
                countLines(at, end + 2);
                at = end + 2;
            } else {
                return;
            }
        }
    }

    private String string() throws Unreadable {
        int start = line;
        StringBuilder value = new StringBuilder();
        at++;
        int depth = 0;
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                throw new Unreadable(start, "a string that does not end on its line");
            }
            if (depth == 0 && c == '"') {
                at++;
                return value.toString();
            }
            if (c == '\\' && at + 1 < text.length()) {
                char next = text.charAt(at + 1);
                value.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next;
                });
                at += 2;
                continue;
            }
            if (c == '$' && text.startsWith("${", at)) {
                depth++;
                value.append("${");
                at += 2;
                continue;
            }
            if (depth > 0 && c == '}') {
                depth--;
            }
            value.append(c);
            at++;
        }
        throw new Unreadable(start, "a string that never ends");
    }

    private String heredoc() throws Unreadable {
        int start = line;
        at += 2;
        boolean indented = at < text.length() && text.charAt(at) == '-';
        if (indented) {
            at++;
        }
        int eol = text.indexOf('\n', at);
        if (eol < 0) {
            throw new Unreadable(start, "a heredoc without content");
        }
        String marker = text.substring(at, eol).trim();
        if (!marker.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new Unreadable(start, "a heredoc marker that is not a name");
        }
        at = eol + 1;
        line++;
        StringBuilder value = new StringBuilder();
        while (at < text.length()) {
            int end = text.indexOf('\n', at);
            String body = end < 0 ? text.substring(at) : text.substring(at, end);
            at = end < 0 ? text.length() : end + 1;
            line++;
            if ((indented ? body.trim() : body).equals(marker)) {
                return value.toString();
            }
            value.append(body).append('\n');
        }
        throw new Unreadable(start, "a heredoc that never ends (no " + marker + " line)");
    }

    private void countLines(int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
    }
}
