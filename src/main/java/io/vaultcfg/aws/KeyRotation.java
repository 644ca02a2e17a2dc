package io.vaultcfg.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a run asks of the access key beyond keeping the fleet on a working one: {@code rotate} replaces the key in
 * use (only when it is older than {@code olderThan}, if given); {@code grace} is how long a key vaultcfg deactivated
 * is kept (it can still be re-activated by hand) before a later run deletes it.
 */
public record KeyRotation(boolean rotate, Optional<Duration> olderThan, Duration grace, Instant now) {
    public static final int DEFAULT_GRACE_DAYS = 7;

    /** No rotation, and a deactivated key may be deleted by the next run (the resolver's plain rules). */
    public static KeyRotation none() {
        return new KeyRotation(false, Optional.empty(), Duration.ZERO, Instant.now());
    }

    /** When a key deactivated at {@code deactivatedAt} may be deleted. */
    public Instant graceEnds(Instant deactivatedAt) {
        return deactivatedAt.plus(grace);
    }

    public boolean inGrace(Instant deactivatedAt) {
        return now.isBefore(graceEnds(deactivatedAt));
    }

    /** Why the key created at {@code created} is not replaced yet, or empty when it is due. */
    public Optional<String> notDue(String accessKeyId, Instant created) {
        if (olderThan.isEmpty() || !now.isBefore(created.plus(olderThan.get()))) {
            return Optional.empty();
        }
        long days = Duration.between(created, now).toDays();
        return Optional.of("access key " + accessKeyId + " in use was created " + created + " (" + days + " day"
                + (days == 1 ? "" : "s") + " ago), younger than --older-than " + olderThan.get().toDays()
                + " days: no rotation due");
    }
}
