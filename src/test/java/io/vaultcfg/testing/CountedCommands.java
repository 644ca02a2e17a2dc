package io.vaultcfg.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Counts the processes a shell snippet starts, by program: each wrapped program is a script in front of
 * {@code PATH} that notes its name, then runs the real one. Shell builtins start no process and are not seen.
 * On a fleet every process on every host adds up, so a read's process count is part of what it must keep.
 */
public final class CountedCommands {
    private final Path bin;
    private final Path log;

    private CountedCommands(Path bin, Path log) {
        this.bin = bin;
        this.log = log;
    }

    /** Wraps {@code programs}, each the one {@code PATH} finds now. */
    public static CountedCommands in(Path dir, String... programs) throws IOException {
        CountedCommands counted = new CountedCommands(Files.createDirectories(dir.resolve("counted-bin")), dir.resolve("counted.log"));
        for (String program : programs) {
            counted.wrap(program, found(program), System.getenv("PATH"));
        }
        return counted;
    }

    /**
     * Wraps {@code name} as {@code target} run by sh with {@code path} as its PATH: e.g. the systemctl stand-in, whose
     * own processes are then not counted as the snippet's.
     */
    public CountedCommands wrap(String name, Path target, String path) throws IOException {
        Path wrapper = bin.resolve(name);
        Files.writeString(wrapper, "#!/bin/sh\nprintf '%s\\n' '" + name + "' >> '" + log + "'\n"
                + "PATH='" + path + "' exec '" + target + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return this;
    }

    /** The PATH to run the snippet with: the wrappers first. */
    public String path() {
        return bin + File.pathSeparator + System.getenv("PATH");
    }

    /** How many times each wrapped program was started, by name. */
    public Map<String, Long> counts() throws IOException {
        if (!Files.exists(log)) {
            return Map.of();
        }
        return Files.readAllLines(log).stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
    }

    private static Path found(String program) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(program + " is not on PATH");
    }
}
