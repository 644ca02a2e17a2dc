package io.vaultcfg.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Suggests the closest known word for a misspelt key, the way git and Ansible do. */
public final class DidYouMean {
    private DidYouMean() {
    }

    public static Optional<String> closest(String word, Collection<String> candidates) {
        int limit = Math.max(2, word.length() / 3);
        return candidates.stream()
                .filter(candidate -> distance(word.toLowerCase(), candidate.toLowerCase()) <= limit)
                .min(Comparator.comparingInt(candidate -> distance(word.toLowerCase(), candidate.toLowerCase())));
    }

    /** "unknown key 'hsots'" plus ", did you mean 'hosts'?" when something is close. */
    public static String unknown(String what, String word, Collection<String> candidates) {
        return "unknown " + what + " '" + word + "'"
                + closest(word, candidates).map(c -> ", did you mean '" + c + "'?").orElse("")
                + " (known: " + String.join(", ", candidates) + ")";
    }

    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
