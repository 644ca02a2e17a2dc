package io.vaultcfg.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a local program (argv, no shell) and returns its output; failures carry the output. */
final class Shell {
    record Result(int exitCode, String output) {
    }

    private Shell() {
    }

    static Result run(List<String> argv) throws IOException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("timed out: " + argv);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + argv, e);
        }
        return new Result(process.exitValue(), output);
    }

    static String check(List<String> argv) throws IOException {
        Result result = run(argv);
        if (result.exitCode() != 0) {
            throw new IOException(String.join(" ", argv) + " failed (" + result.exitCode() + "): " + result.output());
        }
        return result.output();
    }
}
