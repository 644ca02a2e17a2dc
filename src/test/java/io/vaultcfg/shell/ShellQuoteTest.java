package io.vaultcfg.shell;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellQuoteTest {
    @TempDir
    Path dir;

    @Test
    void hostileArgumentsReachTheProgramLiterallyThroughARealShell() throws IOException, InterruptedException {
        Path pwned = dir.resolve("pwned");
        List<String> hostile = List.of("a b", "'; touch " + pwned + "; '", "$(touch " + pwned + ")", "`touch " + pwned + "`",
                "x\ny", "", "*", "--flag=$HOME");
        String command = "printf '%s\\0' " + ShellQuote.join(hostile);
        Process process = new ProcessBuilder("/bin/sh", "-c", command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        assertThat(out.split("\0", -1)).containsExactly(hostile.get(0), hostile.get(1), hostile.get(2), hostile.get(3),
                hostile.get(4), hostile.get(5), hostile.get(6), hostile.get(7), "");
        assertThat(Files.exists(pwned)).isFalse();
    }

    @Test
    void anAssignmentOrAReservedWordInCommandPositionIsAProgramNameNotShellGrammar() throws Exception {
        Path touched = dir.resolve("touched");
        for (List<String> argv : List.of(List.of("LD_PRELOAD=/nonexistent.so", "touch", touched.toString()),
                List.of("if", "true;", "then", "touch", touched.toString() + ";", "fi"), List.of("!", "false"))) {
            Process process = new ProcessBuilder("/bin/sh", "-c", ShellQuote.join(argv)).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(process.waitFor()).as(out).isEqualTo(127);
            assertThat(touched).doesNotExist();
        }
    }

    @Test
    void operandsComeAfterDoubleDashSoNoneIsReadAsAnOption() throws Exception {
        String rendered = Command.of("touch").operands("--version", "-rf", "a b").render();
        Process process = new ProcessBuilder("/bin/sh", "-c", rendered).directory(dir.toFile()).start();

        assertThat(rendered).isEqualTo("touch -- --version -rf 'a b'");
        assertThat(process.waitFor()).isZero();
        assertThat(dir.resolve("--version")).exists();
        assertThat(dir.resolve("-rf")).exists();
        assertThat(dir.resolve("a b")).exists();
    }
}
