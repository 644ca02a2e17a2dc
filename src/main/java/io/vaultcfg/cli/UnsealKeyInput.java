package io.vaultcfg.cli;

import io.vaultcfg.secret.UnsealKeys;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Where {@code --migrate-seal} gets the unseal keys: a prompt without echo when standard input is a terminal (one
 * key per prompt, an empty answer ends), else one key per line of standard input until its end.
 */
final class UnsealKeyInput {
    private UnsealKeyInput() {
    }

    /** @param console the terminal, when standard input is one; null otherwise */
    static UnsealKeys read(InputStream stdin, Console console) throws IOException {
        if (console == null) {
            return UnsealKeys.read(new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)));
        }
        List<String> keys = new ArrayList<>();
        while (true) {
            char[] answer = console.readPassword("Unseal key %d (empty to finish): ", keys.size() + 1);
            if (answer == null) {
                break;
            }
            String line = new String(answer);
            Arrays.fill(answer, ' ');
            if (line.isBlank()) {
                break;
            }
            UnsealKeys.key(line, "key " + (keys.size() + 1)).ifPresent(keys::add);
        }
        return UnsealKeys.of(keys);
    }
}
