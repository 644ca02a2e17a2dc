package io.vaultcfg.run;

import static io.vaultcfg.ssh.ShellQuote.quote;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.FactQuery;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.HostFacts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One remote script that reads every fact a host's plan needs: one round trip per host. All paths are
 * read by one {@code stat} and all contents by one {@code cat | base64}, since on a fleet every
 * process started on every host adds up: a handful of processes per host, whatever the number of files.
 */
final class FactsScript {
    private static final String FILES = "files";
    private static final String CONTENTS = "contents";

    private final List<FactQuery> queries;
    private final String marker;
    /** Each path once, in query order; true when its content is wanted. */
    private final Map<String, Boolean> paths = new LinkedHashMap<>();
    private final List<FactQuery.CommandQuery> commands = new ArrayList<>();

    FactsScript(List<FactQuery> queries, String marker) {
        this.queries = queries;
        this.marker = marker;
        for (FactQuery query : queries) {
            if (query instanceof FactQuery.FileQuery file) {
                if (file.path().indexOf('\n') >= 0) {
                    throw new IllegalArgumentException("a path with a line break cannot be read: " + file.path());
                }
                paths.merge(file.path(), file.content(), Boolean::logicalOr);
            } else if (query instanceof FactQuery.CommandQuery command) {
                commands.add(command);
            }
        }
    }

    String script() {
        StringBuilder script = new StringBuilder();
        if (!paths.isEmpty()) {
            script.append(ScriptOutput.open(marker, FILES)).append("set --\n");
            paths.keySet().forEach(path -> script.append("if [ -e ").append(quote(path)).append(" ] || [ -L ")
                    .append(quote(path)).append(" ]; then set -- \"$@\" ").append(quote(path)).append("; fi\n"));
            script.append("if [ $# -gt 0 ]; then LC_ALL=C stat -c '%s|%F|%a|%U|%G|%n' -- \"$@\" 2>&1; fi\n")
                    .append(ScriptOutput.close(marker, FILES, "0"));
        }
        if (paths.containsValue(true)) {
            // the regular files among the wanted contents, in query order; a symlink is never followed
            script.append(ScriptOutput.open(marker, CONTENTS)).append("set --\n");
            paths.forEach((path, content) -> {
                if (content) {
                    script.append("if [ -f ").append(quote(path)).append(" ] && [ ! -L ").append(quote(path))
                            .append(" ]; then set -- \"$@\" ").append(quote(path)).append("; fi\n");
                }
            });
            script.append("if [ $# -gt 0 ]; then cat -- \"$@\" | base64 -w0; echo; fi\n")
                    .append(ScriptOutput.close(marker, CONTENTS, "0"));
        }
        for (int i = 0; i < commands.size(); i++) {
            String id = "c" + i;
            script.append(ScriptOutput.open(marker, id))
                    .append("(").append(commands.get(i).shell()).append(") 2>&1; vc_rc=$?\n")
                    .append(ScriptOutput.close(marker, id, "$vc_rc"));
        }
        return script.toString();
    }

    HostFacts parse(String stdout) {
        ScriptOutput output = new ScriptOutput(stdout, marker);
        Map<String, FileState> files = paths.isEmpty() ? Map.of() : files(complete(output, FILES).lines(), output);
        Map<String, CommandOutput> results = new LinkedHashMap<>();
        for (int i = 0; i < commands.size(); i++) {
            ScriptOutput.Section section = complete(output, "c" + i);
            results.put(commands.get(i).shell(), new CommandOutput(section.exitCode(), section.text()));
        }
        return new HostFacts(Map.copyOf(files), Map.copyOf(results));
    }

    private ScriptOutput.Section complete(ScriptOutput output, String id) {
        ScriptOutput.Section section = output.section(id);
        if (section == null || section.exitCode() == null) {
            throw new IllegalStateException("the facts script stopped before reading " + (id.startsWith("c") ? "a command's output" : id)
                    + " (" + queries.size() + " facts wanted)");
        }
        return section;
    }

    private record Stat(long size, String type, String mode, String owner, String group) {
    }

    private Map<String, FileState> files(List<String> statLines, ScriptOutput output) {
        Map<String, Stat> found = new LinkedHashMap<>();
        for (String line : statLines) {
            if (line.isEmpty()) {
                continue;
            }
            String[] field = line.split("\\|", 6);
            if (field.length < 6 || !paths.containsKey(field[5]) || !field[0].matches("\\d+")) {
                throw new IllegalStateException("cannot read the state of a file: " + line);
            }
            found.put(field[5], new Stat(Long.parseLong(field[0]), field[1], field[2], field[3], field[4]));
        }
        Map<String, byte[]> contents = paths.containsValue(true) ? contents(found, output) : Map.of();
        Map<String, FileState> files = new LinkedHashMap<>();
        paths.keySet().forEach(path -> {
            Stat stat = found.get(path);
            files.put(path, stat == null ? FileState.MISSING : new FileState(true, stat.type(), stat.mode(), stat.owner(),
                    stat.group(), Optional.ofNullable(contents.get(path))));
        });
        return files;
    }

    /** Splits the concatenated contents by the sizes stat saw; a file that changed meanwhile is an error. */
    private Map<String, byte[]> contents(Map<String, Stat> found, ScriptOutput output) {
        String encoded = complete(output, CONTENTS).text().trim();
        byte[] all = Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.US_ASCII));
        Map<String, byte[]> contents = new LinkedHashMap<>();
        int offset = 0;
        for (Map.Entry<String, Boolean> path : paths.entrySet()) {
            Stat stat = found.get(path.getKey());
            if (!path.getValue() || stat == null || !stat.type().startsWith("regular")) {
                continue;
            }
            if (offset + stat.size() > all.length) {
                throw new IllegalStateException(path.getKey() + " changed while it was read; run again");
            }
            contents.put(path.getKey(), Arrays.copyOfRange(all, offset, offset + (int) stat.size()));
            offset += (int) stat.size();
        }
        if (offset != all.length) {
            throw new IllegalStateException("a file changed while it was read; run again");
        }
        return contents;
    }
}
