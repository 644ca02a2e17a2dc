package io.vaultcfg.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads every node's {@code sys/seal-status} in rounds, every node of a round at once, a round every 50 ms, and
 * records what each answered. Only an answer "unsealed" within 90 ms counts as unsealed, so a slow answer can only
 * make the quorum look worse, never better: {@link NodeState#SLOW} tells such a node from a sealed or a down one.
 * A first, unrecorded round with a long timeout opens the connections. {@link #longestGap} tells whether the
 * rounds kept up.
 */
public final class UnsealPoller implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(50);
    static final Duration ANSWER_TIMEOUT = Duration.ofMillis(90);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(2);

    public enum NodeState {
        UNSEALED,
        /**
         * A standby unsealed with {@code migrate} during a seal migration: OpenBao 2.6.2 answers its seal-status with
         * HTTP 500 "barrier seal type of "shamir" does not match loaded type of "awskms"" until the active node has
         * migrated, though it is unsealed and in the raft quorum (see {@code vault.MigratedStandby}). Counted unsealed.
         */
        UNSEALED_MIGRATING,
        /** Answered, and not "unsealed" (sealed, uninitialized, or an answer that is not a seal status). */
        SEALED,
        /** Refused the connection or failed it: the server is not running. */
        DOWN,
        /** No answer within the round's timeout. */
        SLOW
    }

    /** One round: when it started, and what each node answered. */
    public record Sample(Instant time, List<NodeState> states) {
        public int unsealedCount() {
            return (int) states.stream().filter(state -> state == NodeState.UNSEALED || state == NodeState.UNSEALED_MIGRATING).count();
        }
    }

    private final List<String> addresses;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ANSWER_TIMEOUT).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "unseal-poller");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Sample> samples = new ArrayList<>();

    private UnsealPoller(List<String> addresses) {
        this.addresses = List.copyOf(addresses);
    }

    /** Starts polling the nodes at these API addresses ({@code http://host:port}). */
    static UnsealPoller start(List<String> addresses) {
        UnsealPoller poller = new UnsealPoller(addresses);
        poller.read(WARM_UP_TIMEOUT);
        poller.scheduler.scheduleAtFixedRate(poller::round, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return poller;
    }

    private void round() {
        Instant start = Instant.now();
        List<NodeState> states = read(ANSWER_TIMEOUT);
        synchronized (samples) {
            samples.add(new Sample(start, states));
        }
    }

    private List<NodeState> read(Duration timeout) {
        List<CompletableFuture<NodeState>> answers = addresses.stream().map(address -> state(address, timeout)).toList();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<NodeState> state(String address, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/v1/sys/seal-status")).timeout(timeout).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 && isUnsealed(response.body()) ? NodeState.UNSEALED
                        : response.statusCode() == 500 && response.body().contains("does not match loaded type of")
                        ? NodeState.UNSEALED_MIGRATING : NodeState.SEALED)
                .exceptionally(failure -> timedOut(failure) ? NodeState.SLOW : NodeState.DOWN);
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnsealed(String body) {
        try {
            JsonNode status = BaoHttp.JSON.readTree(body);
            return status.path("sealed").isBoolean() && !status.path("sealed").asBoolean();
        } catch (IOException e) {
            return false;
        }
    }

    public List<Sample> samples() {
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    /** The fewest nodes seen unsealed in one round; the node count when no round has run yet. */
    public int fewestUnsealed() {
        return samples().stream().mapToInt(Sample::unsealedCount).min().orElse(addresses.size());
    }

    /** The longest time between the starts of two rounds (every node is read in every round). */
    public Duration longestGap() {
        List<Sample> all = samples();
        Duration longest = Duration.ZERO;
        for (int i = 1; i < all.size(); i++) {
            Duration gap = Duration.between(all.get(i - 1).time(), all.get(i).time());
            longest = gap.compareTo(longest) > 0 ? gap : longest;
        }
        return longest;
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
