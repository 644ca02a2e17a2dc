package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;

import java.util.ArrayList;
import java.util.List;

/** The arguments of an ssh_config line, split as OpenSSH splits them: white space, quotes, {@code \} before a quote, and a {@code #} comment. */
final class SshConfigWords {
    private SshConfigWords() {
    }

    static List<String> split(String text, String location, String keyword) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote == 0 && Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (quote == 0 && c == '#' && word == null) {
                break;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            if (c == '\\' && i + 1 < text.length() && "\"'\\ ".indexOf(text.charAt(i + 1)) >= 0) {
                word.append(text.charAt(++i));
            } else if (quote == 0 && (c == '"' || c == '\'')) {
                quote = c;
            } else if (c == quote) {
                quote = 0;
            } else {
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new ConfigException(location, keyword, "unterminated quote");
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
