package io.vaultcfg.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads every node's {@code sys/seal-status}, each node on a thread of its own: a read every 50 ms, the next one
 * sent once the answer came (or its timeout, 1 s by default, passed), so a node that answers late never delays the others.
 * Every answer is recorded with the time it came; a late answer is the node's state all the same (a busy node is not
 * a sealed one), and no answer within the timeout is {@link NodeState#SLOW}, never unsealed. A {@link Sample} is taken
 * at each answer: the latest answer of every node. {@link #longestGap} and {@link #gapsLongerThan} tell whether each
 * node was read often enough for the samples to see what happened between them.
 */
public final class UnsealPoller implements AutoCloseable {
    static final Duration PERIOD = Duration.ofMillis(50);
    /** How often each node should answer: the acceptance's "a poller reading every node at least every 100 ms". */
    static final Duration FRESH = Duration.ofMillis(100);
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(5);

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
        /** Refused the connection: the server is not running. */
        DOWN,
        /**
         * No answer within the poller's timeout ({@link #ANSWER_TIMEOUT} by default), or every connection closed without
         * one until then: a hung node, not unsealed.
         */
        SLOW
    }

    /**
     * The latest answer of every node at {@code time} (when one of them answered).
     *
     * @param oldest how long before {@code time} the oldest of these answers came
     */
    public record Sample(Instant time, List<NodeState> states, Duration oldest) {
        public int unsealedCount() {
            return (int) states.stream().filter(state -> state == NodeState.UNSEALED || state == NodeState.UNSEALED_MIGRATING).count();
        }
    }

    /** One node's answer, and when it came. */
    private record Answer(Instant time, int node, NodeState state, String detail) {
    }

    /** What a node answered, and why, where it changed: for a failure message. */
    private record Reading(NodeState state, String detail) {
    }

    private final List<String> addresses;
    private final Duration timeout;
    private final List<Answer> answers = new ArrayList<>();
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean closed;
    private final AtomicInteger askedAgain = new AtomicInteger();

    private UnsealPoller(List<String> addresses, Duration timeout) {
        this.addresses = List.copyOf(addresses);
        this.timeout = timeout;
    }

    /** Starts polling the nodes at these API addresses ({@code http://host:port}). */
    static UnsealPoller start(List<String> addresses) {
        return start(addresses, ANSWER_TIMEOUT);
    }

    /** @param timeout how long a read may wait for its answer before the node counts as {@link NodeState#SLOW} */
    static UnsealPoller start(List<String> addresses, Duration timeout) {
        UnsealPoller poller = new UnsealPoller(addresses, timeout);
        List<HttpClient> clients = addresses.stream().map(address -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout).build()).toList();
        // the first answers open the connections (a longer timeout), so every sample has every node
        List<CompletableFuture<Reading>> first = new ArrayList<>();
        for (int node = 0; node < addresses.size(); node++) {
            first.add(poller.state(clients.get(node), addresses.get(node), WARM_UP_TIMEOUT));
        }
        for (int node = 0; node < addresses.size(); node++) {
            poller.record(node, first.get(node).join());
        }
        for (int node = 0; node < addresses.size(); node++) {
            int index = node;
            Thread reader = new Thread(() -> poller.readEvery(index, clients.get(index)), "unseal-poller-" + node);
            reader.setDaemon(true);
            poller.readers.add(reader);
            reader.start();
        }
        return poller;
    }

    private void readEvery(int node, HttpClient client) {
        long next = System.nanoTime();
        while (!closed) {
            Reading reading = state(client, addresses.get(node), timeout).join();
            if (closed) {
                return;
            }
            record(node, reading);
            next += PERIOD.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    private void record(int node, Reading reading) {
        synchronized (answers) {
            answers.add(new Answer(Instant.now(), node, reading.state(), reading.detail()));
        }
    }

    /**
     * One read: the node's answer, or why there was none. A connection the node accepted and then closed without an
     * answer is asked again, on a new connection, until an answer, a refusal or the read's timeout: OpenBao 2.6.2's
     * {@code sys/seal-status} panics (nil {@code Core.sealMigrated}; Go's server logs "http: panic serving" and drops
     * the connection) for some 50 ms on the migrated standby taking over as leader, which is unsealed and in the raft
     * quorum all the while; a kept-alive connection the node closed fails the same way. A stopped server refuses.
     */
    private CompletableFuture<Reading> state(HttpClient client, String address, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/v1/sys/seal-status")).timeout(timeout).GET().build();
        return ask(client, request, System.nanoTime() + timeout.toNanos())
                .thenApply(response -> new Reading(response.statusCode() == 200 && isUnsealed(response.body()) ? NodeState.UNSEALED
                        : response.statusCode() == 500 && response.body().contains("does not match loaded type of")
                        ? NodeState.UNSEALED_MIGRATING : NodeState.SEALED, response.statusCode() + " " + response.body().strip()))
                .exceptionally(failure -> new Reading(timedOut(failure) ? NodeState.SLOW : NodeState.DOWN, causes(failure)));
    }

    private CompletableFuture<HttpResponse<String>> ask(HttpClient client, HttpRequest request, long deadline) {
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).exceptionallyCompose(failure -> {
            if (timedOut(failure) || refused(failure)) {
                return CompletableFuture.failedFuture(failure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return CompletableFuture.failedFuture(new HttpTimeoutException(
                        "no answer within the read's timeout, the node closed every connection: " + causes(failure)));
            }
            askedAgain.incrementAndGet();
            HttpRequest again = HttpRequest.newBuilder(request.uri()).timeout(Duration.ofNanos(left)).GET().build();
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS)).thenCompose(ignored -> ask(client, again, deadline));
        });
    }

    private static String causes(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return text.toString();
    }

    private static boolean refused(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException) {
                return true;
            }
        }
        return false;
    }

    private static boolean timedOut(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpTimeoutException) {
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

    private List<Answer> answers() {
        synchronized (answers) {
            List<Answer> all = new ArrayList<>(answers);
            all.sort(Comparator.comparing(Answer::time));
            return all;
        }
    }

    /** A sample at each answer, from the first at which every node had answered. */
    public List<Sample> samples() {
        List<Sample> samples = new ArrayList<>();
        Answer[] latest = new Answer[addresses.size()];
        int seen = 0;
        for (Answer answer : answers()) {
            seen += latest[answer.node()] == null ? 1 : 0;
            latest[answer.node()] = answer;
            if (seen == latest.length) {
                Instant oldest = answer.time();
                List<NodeState> states = new ArrayList<>();
                for (Answer each : latest) {
                    states.add(each.state());
                    oldest = each.time().isBefore(oldest) ? each.time() : oldest;
                }
                samples.add(new Sample(answer.time(), List.copyOf(states), Duration.between(oldest, answer.time())));
            }
        }
        return samples;
    }

    /** The last sample taken (read once: the list grows while the nodes answer). */
    public Sample latest() {
        List<Sample> samples = samples();
        return samples.get(samples.size() - 1);
    }

    /** The fewest nodes seen unsealed in one sample; the node count when no sample was taken yet. */
    public int fewestUnsealed() {
        return samples().stream().mapToInt(Sample::unsealedCount).min().orElse(addresses.size());
    }

    /** Every node's answers where its state changed, with what it answered (a status and body, or why it failed). */
    public String changes() {
        StringBuilder text = new StringBuilder();
        NodeState[] previous = new NodeState[addresses.size()];
        for (Answer answer : answers()) {
            if (answer.state() != previous[answer.node()]) {
                previous[answer.node()] = answer.state();
                String detail = answer.detail().length() > 300 ? answer.detail().substring(0, 300) + "..." : answer.detail();
                text.append('\n').append(answer.time()).append(" node ").append(answer.node()).append(' ')
                        .append(answer.state()).append(": ").append(detail.replace('\n', ' '));
            }
        }
        return text.toString();
    }

    /** How many times a node closed a connection without an answer and was asked again. */
    public int askedAgain() {
        return askedAgain.get();
    }

    /** The longest time between two answers of one node. */
    public Duration longestGap() {
        return gaps().stream().max(Comparator.naturalOrder()).orElse(Duration.ZERO);
    }

    /** How many times a node's next answer came more than {@code limit} after its previous one. */
    public long gapsLongerThan(Duration limit) {
        return gaps().stream().filter(gap -> gap.compareTo(limit) > 0).count();
    }

    private List<Duration> gaps() {
        List<Duration> gaps = new ArrayList<>();
        Instant[] previous = new Instant[addresses.size()];
        for (Answer answer : answers()) {
            if (previous[answer.node()] != null) {
                gaps.add(Duration.between(previous[answer.node()], answer.time()));
            }
            previous[answer.node()] = answer.time();
        }
        return gaps;
    }

    @Override
    public void close() {
        closed = true;
        for (Thread reader : readers) {
            reader.interrupt();
        }
        for (Thread reader : readers) {
            try {
                reader.join(timeout.plusSeconds(1).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
