package io.vaultcfg.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.run.RunEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rollout as the console shows it: each cluster's order, a refused cluster with why, the standalone nodes. */
class RolloutConsoleTest {
    @Test
    void eachClusterIsOneLineInRestartOrderAndCheckModeSaysItWouldGoSo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleReporter console = new ConsoleReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        console.on(new RunEvent.PlayStarted("p", List.of("v1", "v2", "v3", "x1", "x2", "solo"), false, true));
        console.on(new RunEvent.RolloutPlanned("p", List.of(
                new RunEvent.ClusterRollout("east", List.of("v2 (standby, restart)", "v3 (standby, restart)", "v1 (active, restart)"),
                        Optional.empty()),
                new RunEvent.ClusterRollout("west", List.of(), Optional.of("refused before any change: two cluster ids"))),
                List.of("solo"), true));
        String out = bytes.toString(StandardCharsets.UTF_8);

        assertThat(out).contains("ROLLOUT | cluster east, one node at a time (would go in this order): "
                        + "v2 (standby, restart) -> v3 (standby, restart) -> v1 (active, restart)\n")
                .contains("ROLLOUT | cluster west refused: refused before any change: two cluster ids\n")
                .contains("ROLLOUT | standalone nodes, side by side: solo\n");
    }
}
