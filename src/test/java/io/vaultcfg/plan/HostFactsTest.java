package io.vaultcfg.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HostFactsTest {
    /** A fact that counts its parses; "fail" fails, "none" parses to null. */
    record Counted(String name, AtomicInteger parses) implements CommandFact<String> {
        @Override
        public String shell() {
            return "echo " + name;
        }

        @Override
        public String parse(CommandOutput output) {
            parses.incrementAndGet();
            return switch (output.output()) {
                case "fail" -> throw new IllegalStateException("cannot read " + name);
                case "none" -> null;
                default -> output.output().toUpperCase();
            };
        }
    }

    final Counted ok = new Counted("ok", new AtomicInteger());
    final Counted failing = new Counted("failing", new AtomicInteger());
    final Counted none = new Counted("none", new AtomicInteger());
    final HostFacts read = new HostFacts(Map.of(), Map.of(ok, new CommandOutput(0, "up"), failing, new CommandOutput(0, "fail"),
            none, new CommandOutput(0, "none")));

    @Test
    void asReadEachAskParsesAgain() {
        read.get(ok);
        read.get(ok);

        assertThat(read.get(ok)).isEqualTo("UP");
        assertThat(ok.parses()).hasValue(3);
    }

    @Test
    void parsedNowParsesEveryFactOnceAndKeepsTheValues() {
        HostFacts kept = read.parsedNow();
        assertThat(ok.parses()).hasValue(1);
        assertThat(none.parses()).hasValue(1);

        assertThat(kept.get(ok)).isEqualTo("UP");
        assertThat(kept.get(ok)).isEqualTo("UP");
        assertThat(kept.get(none)).isNull();
        assertThat(ok.parses()).hasValue(1);
        assertThat(none.parses()).hasValue(1);
        assertThat(kept).isEqualTo(read);
    }

    @Test
    void aFailedParseIsNotKeptEachAskerGetsTheFailure() {
        HostFacts kept = read.parsedNow();

        assertThatThrownBy(() -> kept.get(failing)).hasMessage("cannot read failing");
        assertThatThrownBy(() -> kept.get(failing)).hasMessage("cannot read failing");
        assertThat(failing.parses()).hasValue(3);
    }

    @Test
    void itsTextNamesNoValue() {
        assertThat(read.parsedNow().toString()).doesNotContain("up", "UP", "fail");
    }
}
