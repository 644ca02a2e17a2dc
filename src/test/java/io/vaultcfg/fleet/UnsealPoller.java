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
 * records how many were unsealed. A node that does not answer within 90 ms counts as not unsealed, so a slow
 * answer can only make the quorum look worse, never better; {@link #longestGap} tells whether the rounds kept up.
 */
public final class UnsealPoller implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(50);
    static final Duration ANSWER_TIMEOUT = Duration.ofMillis(90);

    /** One round: when it started, and per node whether it answered unsealed. */
    public record Sample(Instant time, List<Boolean> unsealed) {
        public int unsealedCount() {
            return (int) unsealed.stream().filter(Boolean::booleanValue).count();
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
        poller.scheduler.scheduleAtFixedRate(poller::round, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        return poller;
    }

    private void round() {
        Instant start = Instant.now();
        List<CompletableFuture<Boolean>> answers = addresses.stream().map(this::unsealed).toList();
        List<Boolean> unsealed = answers.stream().map(CompletableFuture::join).toList();
        synchronized (samples) {
            samples.add(new Sample(start, unsealed));
        }
    }

    private CompletableFuture<Boolean> unsealed(String address) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/v1/sys/seal-status")).timeout(ANSWER_TIMEOUT).GET().build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 && isUnsealed(response.body()))
                .exceptionally(failure -> false);
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
