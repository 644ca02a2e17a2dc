package io.vaultcfg.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.secret.Redactor;
import io.vaultcfg.secret.UnsealKeys;
import io.vaultcfg.ssh.SshConnector;
import io.vaultcfg.testing.CliRun;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code apply --migrate-seal}: where the unseal keys come from, and what is refused before anything is contacted. */
class MigrateSealCliTest {
    static final String KEY_1 = "c2hhbWlyLWtleS1vbmUtZm9yLXRoZS10ZXN0LW9ubHktMDAx";
    static final String KEY_2 = "c2hhbWlyLWtleS10d28tZm9yLXRoZS10ZXN0LW9ubHktMDAy";
    static final SshConnector NEVER = target -> {
        throw new AssertionError("contacted " + target.name());
    };

    @TempDir
    Path dir;

    CliRun apply(String stdin, String... extra) throws IOException {
        Path inventory = Files.writeString(dir.resolve("inventory.yml"), "all:\n  hosts:\n    vault-01:\n");
        String[] args = new String[extra.length + 2];
        args[0] = "apply";
        args[1] = inventory.toString();
        System.arraycopy(extra, 0, args, 2, extra.length);
        return CliRun.run(NEVER, Map.of(), stdin, args);
    }

    @Test
    void migrateSealAndVarsStdinBothReadStandardInputSoTheyAreRefusedTogether() throws IOException {
        CliRun run = apply(KEY_1 + "\n", "--migrate-seal", "--vars-stdin");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("error: --migrate-seal and --vars-stdin both read standard input").endsWith("see 'vaultcfg apply --help'"));
        assertThat(run.all()).doesNotContain(KEY_1);
    }

    @Test
    void aLineThatIsNoKeyIsRefusedByItsNumberWithoutBeingShownAndNothingIsContacted() throws IOException {
        CliRun run = apply(KEY_1 + "\n\nnot a key; maybe a password\n", "--migrate-seal");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("error: --migrate-seal: line 3 is not an unseal key").contains("Nothing was changed.")
                .doesNotContain("maybe a password").doesNotContain(KEY_1);
        assertThat(run.stdout()).isEmpty();
    }

    @Test
    void noKeyOrTheSameKeyTwiceIsRefused() throws IOException {
        CliRun none = apply("\n\n", "--migrate-seal");
        CliRun twice = apply(KEY_1 + "\n" + KEY_1 + "\n", "--migrate-seal");

        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.stderr()).contains("error: --migrate-seal: no unseal key given");
        assertThat(twice.exitCode()).isEqualTo(1);
        assertThat(twice.stderr()).contains("error: --migrate-seal: the same unseal key is given twice").doesNotContain(KEY_1);
    }

    @Test
    void keysAreReadOnePerLineHiddenFromToStringAndMaskedByTheRunsRedactor() throws IOException {
        UnsealKeys keys = UnsealKeys.read(new BufferedReader(new StringReader(" " + KEY_1 + " \n\n" + KEY_2 + "\n")));
        Redactor redactor = new Redactor();
        keys.registerWith(redactor);

        assertThat(keys.keys()).containsExactly(KEY_1, KEY_2);
        assertThat(keys.toString()).doesNotContain(KEY_1).doesNotContain(KEY_2).contains("2 keys");
        assertThat(redactor.redact("unseal " + KEY_2 + " failed")).isEqualTo("unseal " + Redactor.MASK + " failed");
    }

    @Test
    void aTerminalOnStandardInputWithoutAConsoleIsRefusedRatherThanEchoingTheKeys() throws IOException {
        Path inventory = Files.writeString(dir.resolve("inventory.yml"), "all:\n  hosts:\n    vault-01:\n");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream errStream = new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8);
        picocli.CommandLine.IFactory factory = new picocli.CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == ApplyCommand.class ? type.cast(new ApplyCommand(NEVER, Map.of(),
                        new java.io.ByteArrayInputStream((KEY_1 + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        errStream, errStream, false, null, true)) : picocli.CommandLine.defaultFactory().create(type);
            }
        };

        int code = Main.run(factory, "apply", inventory.toString(), "--migrate-seal");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("error: --migrate-seal: standard input is a terminal but the output is not").doesNotContain(KEY_1);
    }
}
