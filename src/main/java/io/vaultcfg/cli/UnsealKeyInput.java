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

    /** This process's standard input is a terminal (Linux: fd 0 is a tty or pts device). */
    static boolean stdinIsTerminal() {
        try {
            String target = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/0")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /**
     * @param console the terminal, when standard input and output are one; null otherwise
     * @param stdinIsTerminal standard input is a terminal (where a line read from it would be echoed)
     */
    static UnsealKeys read(InputStream stdin, Console console, boolean stdinIsTerminal) throws IOException {
        if (console == null && stdinIsTerminal) {
            // Java has a console only when the output is a terminal too: read here, the keys would be echoed
            throw new UnsealKeys.BadKey("standard input is a terminal but the output is not, so the keys cannot be asked for "
                    + "without echo: pipe them in (one per line), or run without redirecting the output");
        }
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
