package io.vaultcfg.secret;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The unseal keys of a Shamir-sealed cluster for {@code --migrate-seal}: held in memory only, never shown
 * ({@link #toString} names none, and each key is given to the run's {@link Redactor}). A key is base64 or hex, as
 * {@code operator init} hands them out; anything else is refused without being echoed.
 */
public final class UnsealKeys {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9+/=_-]{16,512}");

    private final List<String> keys;

    private UnsealKeys(List<String> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Why a line cannot be a key (its number only, never its text). */
    public static final class BadKey extends IllegalArgumentException {
        public BadKey(String message) {
            super(message);
        }
    }

    /** One key a line; blank lines are skipped. */
    public static UnsealKeys read(BufferedReader lines) throws IOException {
        List<String> keys = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            Optional<String> key = key(line, "line " + number);
            key.ifPresent(keys::add);
        }
        return of(keys);
    }

    /** @param where e.g. "line 2", in the error for a line that is not a key */
    public static Optional<String> key(String line, String where) {
        String key = line.strip();
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (!KEY.matcher(key).matches()) {
            throw new BadKey(where + " is not an unseal key (base64 or hex, as operator init prints them; not shown)");
        }
        return Optional.of(key);
    }

    public static UnsealKeys of(List<String> keys) {
        if (keys.isEmpty()) {
            throw new BadKey("no unseal key given (one per line, as many as the cluster's threshold)");
        }
        if (keys.stream().distinct().count() != keys.size()) {
            throw new BadKey("the same unseal key is given twice");
        }
        return new UnsealKeys(keys);
    }

    public List<String> keys() {
        return keys;
    }

    public int count() {
        return keys.size();
    }

    /** Masks every key in whatever the run prints or writes. */
    public void registerWith(Redactor redactor) {
        keys.forEach(redactor::add);
    }

    @Override
    public String toString() {
        return "UnsealKeys[" + keys.size() + " keys: <redacted>]";
    }
}
