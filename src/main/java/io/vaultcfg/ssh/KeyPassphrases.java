package io.vaultcfg.ssh;

import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;

import java.io.Console;
import java.nio.file.Path;
import java.util.Map;

/**
 * Passphrases for encrypted key files: from {@value #ENVIRONMENT_VARIABLE} (for pipelines), else asked
 * once per key on the terminal without echo. Never logged, never part of a message.
 */
final class KeyPassphrases {
    static final String ENVIRONMENT_VARIABLE = "VAULTCFG_SSH_KEY_PASSPHRASE";

    private final String fromEnvironment;
    private final Console console;

    KeyPassphrases(Map<String, String> environment) {
        this(environment, System.console());
    }

    KeyPassphrases(Map<String, String> environment, Console console) {
        this.fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
        this.console = console;
    }

    Finder finderFor(Path file) {
        return new Finder(file);
    }

    /** Remembers whether sshj asked, i.e. whether the key is encrypted. */
    final class Finder implements PasswordFinder {
        private final Path file;
        private volatile boolean asked;

        private Finder(Path file) {
            this.file = file;
        }

        @Override
        public char[] reqPassword(Resource<?> resource) {
            asked = true;
            if (fromEnvironment != null) {
                return fromEnvironment.toCharArray();
            }
            if (console != null) {
                char[] typed = console.readPassword("Enter passphrase for key %s: ", file);
                return typed == null ? new char[0] : typed;
            }
            // an empty passphrase fails to decrypt; the message then says where a passphrase can come from
            return new char[0];
        }

        @Override
        public boolean shouldRetry(Resource<?> resource) {
            return false;
        }

        boolean asked() {
            return asked;
        }
    }

    /** Why an encrypted key could not be opened, with what to do about it. */
    String whyFailed(Path file) {
        if (fromEnvironment != null) {
            return "the passphrase in " + ENVIRONMENT_VARIABLE + " is wrong for this key";
        }
        if (console != null) {
            return "wrong passphrase";
        }
        return "the key is passphrase-protected and there is no terminal to ask on; add it to ssh-agent (ssh-add "
                + file + ") or set " + ENVIRONMENT_VARIABLE;
    }
}
