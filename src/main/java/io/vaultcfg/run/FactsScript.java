package io.vaultcfg.run;

import static io.vaultcfg.shell.ShellQuote.quote;

import io.vaultcfg.module.SystemdShow;
import io.vaultcfg.plan.CommandFact;
import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.FileType;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.plan.SystemdProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One remote script that reads every fact a host's plan needs: one round trip per host. All paths are
 * stat'ed by one {@code stat}, since on a fleet every process started on every host adds up.
 *
 * <p>The files may sit in a directory that a less-privileged user (the Vault service user) can write,
 * and the script runs as root: each content is read by {@code dd} opening it without following a link
 * and without blocking (a FIFO planted there cannot hang the run), at most {@link #MAX_CONTENT} + 1 bytes;
 * a second {@code stat} afterwards must show the same regular file (device, inode, links, size, mtime), and
 * a file with several hard links is refused. So a swap cannot put another file's content in a diff.
 *
 * <p>A file's type and permissions come from its raw mode ({@code %f}), not from stat's words for them.
 */
final class FactsScript {
    /** Config files only: a managed file larger than this is refused, never read whole. */
    static final int MAX_CONTENT = 1024 * 1024;
    /** Reading files and stats: well under a second on a working host, even with a slow disk. */
    static final Duration BASE_DEADLINE = Duration.ofSeconds(60);
    private static final String FILES = "files";
    private static final String CONTENTS = "contents";
    private static final String AFTER = "after";
    /** A command fact's section: this and its index ("c0"). */
    private static final String COMMAND = "c";

    private final List<Fact<?>> queries;
    private final String marker;
    /** Each path once, in query order; true when its content is wanted. */
    private final Map<String, Boolean> paths = new LinkedHashMap<>();
    /** Each command fact once, in query order. */
    private final List<CommandFact<?>> commands;

    FactsScript(List<Fact<?>> queries, String marker) {
        this.queries = queries;
        this.marker = marker;
        Set<CommandFact<?>> distinct = new LinkedHashSet<>();
        for (Fact<?> query : queries) {
            if (query instanceof FileFact file) {
                if (file.path().indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("a path with a line break cannot be read: " + file.path());
                }
                paths.merge(file.path(), file.content(), Boolean::logicalOr);
            } else if (query instanceof CommandFact<?> command) {
                distinct.add(command);
            }
        }
        commands = List.copyOf(distinct);
    }

    /** How long the script may run: the file reads, plus every command fact's own budget (they run in turn). */
    Duration deadline() {
        return commands.stream().map(CommandFact::budget).reduce(BASE_DEADLINE, Duration::plus);
    }

    String script() {
        StringBuilder script = new StringBuilder();
        if (!paths.isEmpty()) {
            script.append(ScriptOutput.open(marker, FILES)).append("set --\n");
            paths.keySet().forEach(path -> script.append("if [ -e ").append(quote(path)).append(" ] || [ -L ")
                    .append(quote(path)).append(" ]; then set -- \"$@\" ").append(quote(path)).append("; fi\n"));
            script.append("if [ $# -gt 0 ]; then LC_ALL=C stat -c '%s|%f|%U|%G|%d:%i:%h:%Y|%n' -- \"$@\" 2>&1; fi\n")
                    .append(ScriptOutput.close(marker, FILES, "0"));
        }
        if (paths.containsValue(true)) {
            // the regular files among the wanted contents, in query order; a link or a FIFO is never opened
            script.append(ScriptOutput.open(marker, CONTENTS)).append("set --\n");
            paths.forEach((path, content) -> {
                if (content) {
                    script.append("if [ -f ").append(quote(path)).append(" ] && [ ! -L ").append(quote(path))
                            .append(" ]; then set -- \"$@\" ").append(quote(path)).append("; fi\n");
                }
            });
            script.append("for vc_f in \"$@\"; do dd if=\"$vc_f\" iflag=nofollow,nonblock,fullblock bs=").append(MAX_CONTENT + 1)
                    .append(" count=1 2>/dev/null; done | base64 -w0; echo\n")
                    .append(ScriptOutput.close(marker, CONTENTS, "0"))
                    .append(ScriptOutput.open(marker, AFTER))
                    .append("if [ $# -gt 0 ]; then LC_ALL=C stat -c '%d:%i:%h:%Y|%s|%f|%n' -- \"$@\" 2>&1; fi\n")
                    .append(ScriptOutput.close(marker, AFTER, "0"));
        }
        List<String> units = new ArrayList<>(systemdProperties().keySet());
        systemdProperties().forEach((unit, properties) -> script.append(shownVariable(units, unit)).append("=$(")
                .append(SystemdShow.command(unit, properties)).append(" 2>/dev/null)\n"));
        for (int i = 0; i < commands.size(); i++) {
            String id = COMMAND + i;
            String shown = commands.get(i) instanceof SystemdProperties fact
                    ? SystemdProperties.SHOWN + "=$" + shownVariable(units, fact.systemdUnit()) + "\n" : "";
            script.append(ScriptOutput.open(marker, id)).append(run(commands.get(i), shown))
                    .append(ScriptOutput.close(marker, id, "$vc_rc"));
        }
        return script.toString();
    }

    /** The fact's shell with its stderr joined, its exit code in {@code vc_rc}; in a subshell unless it needs none. */
    private static String run(CommandFact<?> command, String shown) {
        if (command.needsSubshell()) {
            return "(" + shown + command.shell() + ") 2>&1; vc_rc=$?\n";
        }
        return "{ " + shown + command.shell() + "\n} 2>&1; vc_rc=$?\n" + (shown.isEmpty() ? "" : "unset " + SystemdProperties.SHOWN + "\n");
    }

    /** The properties the command facts read of each unit, in query order: one systemctl show per unit. */
    private Map<String, Set<String>> systemdProperties() {
        Map<String, Set<String>> byUnit = new LinkedHashMap<>();
        for (CommandFact<?> command : commands) {
            if (command instanceof SystemdProperties fact) {
                byUnit.computeIfAbsent(fact.systemdUnit(), unit -> new LinkedHashSet<>()).addAll(fact.systemdProperties());
            }
        }
        return byUnit;
    }

    private static String shownVariable(List<String> units, String unit) {
        return "vc_shown_" + units.indexOf(unit);
    }

    HostFacts parse(String stdout) {
        ScriptOutput output = new ScriptOutput(stdout, marker);
        Map<String, FileState> files = paths.isEmpty() ? Map.of() : files(complete(output, FILES).lines(), output);
        Map<CommandFact<?>, CommandOutput> results = new LinkedHashMap<>();
        for (int i = 0; i < commands.size(); i++) {
            ScriptOutput.Section section = complete(output, COMMAND + i);
            results.put(commands.get(i), new CommandOutput(section.exitCode(), section.text()));
        }
        return new HostFacts(Map.copyOf(files), Map.copyOf(results));
    }

    private ScriptOutput.Section complete(ScriptOutput output, String id) {
        ScriptOutput.Section section = output.section(id);
        if (section == null || section.exitCode() == null) {
            throw new IllegalStateException("the facts script stopped before reading " + (id.matches(COMMAND + "\\d+") ? "a command's output" : id)
                    + " (" + queries.size() + " facts wanted)");
        }
        return section;
    }

    /**
     * @param rawMode  {@code st_mode} in hexadecimal, as stat printed it: file type and permissions
     * @param identity device, inode, link count and mtime, as stat printed them
     */
    private record Stat(long size, String rawMode, String owner, String group, String identity) {
        FileType type() {
            return FileType.ofRawMode(Integer.parseInt(rawMode, 16));
        }

        FileMode mode() {
            return FileMode.ofRawMode(Integer.parseInt(rawMode, 16));
        }
    }

    private Map<String, FileState> files(List<String> statLines, ScriptOutput output) {
        Map<String, Stat> found = new LinkedHashMap<>();
        for (String line : statLines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] field = line.split("\\|", 6);
            if (field.length < 6 || !paths.containsKey(field[5]) || !field[0].matches("\\d+") || !field[1].matches("[0-9a-f]{1,7}")) {
                throw new IllegalStateException("cannot read the state of a file: " + line);
            }
            found.put(field[5], new Stat(Long.parseLong(field[0]), field[1], field[2], field[3], field[4]));
        }
        Map<String, byte[]> contents = paths.containsValue(true) ? contents(found, output) : Map.of();
        Map<String, FileState> files = new LinkedHashMap<>();
        paths.keySet().forEach(path -> {
            Stat stat = found.get(path);
            files.put(path, stat == null ? FileState.MISSING : new FileState(stat.type(), stat.mode(), stat.owner(),
                    stat.group(), Optional.ofNullable(contents.get(path))));
        });
        return files;
    }

    /**
     * Splits the concatenated contents by the sizes stat saw. A file that is not the one stat saw before
     * and after the read (a swap, a change meanwhile), that has several hard links or that is too large
     * is an error: nothing of it is used.
     */
    private Map<String, byte[]> contents(Map<String, Stat> found, ScriptOutput output) {
        String encoded = complete(output, CONTENTS).text().trim();
        byte[] all = Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.US_ASCII));
        Map<String, String> after = afterRead(complete(output, AFTER).lines());
        Map<String, byte[]> contents = new LinkedHashMap<>();
        int offset = 0;
        for (Map.Entry<String, Boolean> path : paths.entrySet()) {
            Stat stat = found.get(path.getKey());
            if (!path.getValue() || stat == null || stat.type() != FileType.REGULAR) {
                continue;
            }
            String seen = stat.identity() + "|" + stat.size() + "|" + stat.rawMode();
            if (!seen.equals(after.get(path.getKey()))) {
                throw new IllegalStateException(path.getKey() + " changed while it was read; run again");
            }
            String links = stat.identity().split(":")[2];
            if (!links.equals("1")) {
                throw new IllegalStateException(path.getKey() + " has " + links + " hard links: vaultcfg neither reads nor "
                        + "replaces a file that may be a link to another one");
            }
            int read = (int) Math.min(stat.size(), MAX_CONTENT + 1L);
            if (offset + read > all.length) {
                throw new IllegalStateException(path.getKey() + " changed while it was read; run again");
            }
            if (stat.size() > MAX_CONTENT) {
                throw new IllegalStateException(path.getKey() + " is larger than " + MAX_CONTENT / 1024 + " KiB: not a config file vaultcfg manages");
            }
            contents.put(path.getKey(), Arrays.copyOfRange(all, offset, offset + read));
            offset += read;
        }
        if (offset != all.length) {
            throw new IllegalStateException("a file changed while it was read; run again");
        }
        return contents;
    }

    /** "device:inode:links:mtime|size|raw mode" of each file after the read, by path. */
    private Map<String, String> afterRead(List<String> lines) {
        Map<String, String> after = new LinkedHashMap<>();
        for (String line : lines) {
            String[] field = line.split("\\|", 4);
            if (field.length == 4 && paths.containsKey(field[3])) {
                after.put(field[3], field[0] + "|" + field[1] + "|" + field[2]);
            }
        }
        return after;
    }
}
