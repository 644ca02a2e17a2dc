package io.vaultcfg.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.vaultcfg.fleet.UnsealPoller.NodeState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller on stand-in nodes (no fleet, no fixed address): what counts as unsealed; a node that does not answer
 * within the timeout counts as not unsealed; a node that answers late holds up no other node's reads, and its late
 * answer is its state (a busy node is not a sealed one), with the gap it left reported.
 */
class UnsealPollerTest {
    final AtomicBoolean secondUnsealed = new AtomicBoolean(false);
    HttpServer unsealed;
    HttpServer toggled;
    HttpServer slow;

    static HttpServer node(java.util.function.Supplier<String> body, Duration delay) throws IOException {
        return node(body, delay, 200);
    }

    static HttpServer node(java.util.function.Supplier<String> body, Duration delay, int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/sys/seal-status", exchange -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return server;
    }

    static String address(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        for (HttpServer server : new HttpServer[] {unsealed, toggled, slow}) {
            if (server != null) {
                server.stop(0);
            }
        }
    }

    @Test
    void countsOnlyTimelyUnsealedAnswersAndKeepsSampling() throws IOException {
        unsealed = node(() -> "{\"type\":\"awskms\",\"sealed\":false}", Duration.ZERO);
        toggled = node(() -> "{\"type\":\"shamir\",\"sealed\":" + !secondUnsealed.get() + "}", Duration.ZERO);
        slow = node(() -> "{\"sealed\":false}", Duration.ofSeconds(3));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        try (UnsealPoller poller = UnsealPoller.start(List.of(address(unsealed), address(toggled), address(slow),
                "http://127.0.0.1:" + closedPort))) {
            List<NodeState> expected = List.of(NodeState.UNSEALED, NodeState.SEALED, NodeState.SLOW, NodeState.DOWN);
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> poller.samples().stream().filter(sample -> sample.states().equals(expected)).count() >= 3);
            assertThat(poller.samples()).allSatisfy(sample -> assertThat(sample.states().subList(1, 4)).doesNotContain(NodeState.UNSEALED));
            assertThat(poller.fewestUnsealed()).isLessThanOrEqualTo(1);

            secondUnsealed.set(true);
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> poller.latest().unsealedCount() == 2);

            assertThat(poller.fewestUnsealed()).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aNodeAnsweringLateHoldsUpNoOtherNodeAndItsLateAnswerIsItsStateWithTheGapReported() throws IOException {
        CountDownLatch answer = new CountDownLatch(1);
        AtomicBoolean holding = new AtomicBoolean(false);
        AtomicInteger held = new AtomicInteger();
        unsealed = node(() -> "{\"sealed\":false}", Duration.ZERO);
        slow = node(() -> {
            if (holding.get()) {
                held.incrementAndGet();
                try {
                    answer.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return "{\"sealed\":false}";
        }, Duration.ZERO);

        try (UnsealPoller poller = UnsealPoller.start(List.of(address(unsealed), address(slow)), Duration.ofSeconds(30))) {
            holding.set(true);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> held.get() == 1);
            int before = poller.samples().size();
            Awaitility.await("the other node read while this one's answer is late").atMost(Duration.ofSeconds(20))
                    .until(() -> poller.samples().size() >= before + 10);
            assertThat(held.get()).as("one read of the late node at a time").isEqualTo(1);
            holding.set(false);
            answer.countDown();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> poller.samples().size() >= before + 20);

            assertThat(poller.samples()).as("the late node's answer is its state: unsealed, never slow or sealed")
                    .allSatisfy(sample -> assertThat(sample.states()).containsOnly(NodeState.UNSEALED));
            assertThat(poller.gapsLongerThan(Duration.ofMillis(100))).as("the late answer's gap").isGreaterThanOrEqualTo(1);
            assertThat(poller.longestGap()).isGreaterThan(Duration.ofMillis(100));
            assertThat(poller.samples()).as("a sample whose oldest answer is the late node's last")
                    .anyMatch(sample -> sample.oldest().compareTo(Duration.ofMillis(100)) > 0);
        }
    }

    @Test
    void aStandbyUnsealedWithMigrateCountsAsUnsealedAnotherServerErrorDoesNot() throws IOException {
        unsealed = node(() -> "{\"errors\":[\"barrier seal type of \\\"shamir\\\" does not match loaded type of \\\"awskms\\\"\"]}",
                Duration.ZERO, 500);
        toggled = node(() -> "{\"errors\":[\"internal error\"]}", Duration.ZERO, 500);

        try (UnsealPoller poller = UnsealPoller.start(List.of(address(unsealed), address(toggled)))) {
            List<NodeState> expected = List.of(NodeState.UNSEALED_MIGRATING, NodeState.SEALED);
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> poller.samples().stream().filter(sample -> sample.states().equals(expected)).count() >= 3);
            assertThat(poller.samples()).allSatisfy(sample -> assertThat(sample.unsealedCount()).isLessThanOrEqualTo(1));
            assertThat(poller.samples()).filteredOn(sample -> sample.states().equals(expected))
                    .allSatisfy(sample -> assertThat(sample.unsealedCount()).isEqualTo(1));
        }
    }

    /**
     * OpenBao 2.6.2's seal-status panics for some 50 ms on the migrated standby taking over as leader (Go drops the
     * connection without an answer), though the node is unsealed and in the quorum: such a read is asked again until
     * the node answers, and counts as down only when refused. A node that drops every connection is never unsealed.
     */
    @Test
    void aConnectionClosedWithoutAnAnswerIsAskedAgainUntilAnAnswerAndANodeThatDropsEveryOneIsNotUnsealed() throws IOException {
        AtomicBoolean dropping = new AtomicBoolean(false);
        AtomicInteger dropped = new AtomicInteger();
        unsealed = node(() -> "{\"sealed\":false}", Duration.ZERO);
        toggled = node(() -> {
            if (dropping.get()) {
                dropped.incrementAndGet();
                throw new IllegalStateException("the handler fails: the server closes the connection without an answer");
            }
            return "{\"sealed\":false}";
        }, Duration.ZERO);
        slow = node(() -> {
            throw new IllegalStateException("never answers");
        }, Duration.ZERO);

        try (UnsealPoller poller = UnsealPoller.start(List.of(address(unsealed), address(toggled)), Duration.ofSeconds(10))) {
            dropping.set(true);
            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).until(() -> dropped.get() >= 5);
            dropping.set(false);
            int before = poller.samples().size();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> poller.samples().size() >= before + 10);

            assertThat(poller.samples()).as("dropped connections asked again: the node's answers, never down")
                    .allSatisfy(sample -> assertThat(sample.states()).containsOnly(NodeState.UNSEALED));
            assertThat(poller.changes()).doesNotContain("DOWN");
            assertThat(poller.askedAgain()).as("reads asked again (the HTTP client itself may retry a GET once)").isPositive();
        }
        try (UnsealPoller poller = UnsealPoller.start(List.of(address(unsealed), address(slow)), Duration.ofMillis(300))) {
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> poller.samples().stream().filter(sample -> sample.states().get(1) == NodeState.SLOW).count() >= 3);
            assertThat(poller.samples()).as("no answer within the timeout: slow, never unsealed nor down")
                    .allSatisfy(sample -> assertThat(sample.states().get(1)).isEqualTo(NodeState.SLOW));
        }
    }
}
