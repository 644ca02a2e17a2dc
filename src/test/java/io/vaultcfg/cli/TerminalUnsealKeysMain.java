package io.vaultcfg.cli;

import io.vaultcfg.secret.UnsealKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The keys read as {@code apply --migrate-seal} reads them in this process (its console, its stdin), for a test that
 * runs it on a pseudo-terminal: prints how many were read and a digest of them, never a key.
 */
final class TerminalUnsealKeysMain {
    private TerminalUnsealKeysMain() {
    }

    public static void main(String[] args) throws Exception {
        try {
            UnsealKeys keys = UnsealKeyInput.read(System.in, System.console(), UnsealKeyInput.stdinIsTerminal());
            System.out.println("keys read: " + keys.count() + ", sha256 " + digest(keys));
        } catch (UnsealKeys.BadKey e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(1);
        }
    }

    static String digest(UnsealKeys keys) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(String.join("\n", keys.keys()).getBytes(StandardCharsets.UTF_8)));
    }
}
