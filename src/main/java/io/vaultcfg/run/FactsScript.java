package io.vaultcfg.run;

import static io.vaultcfg.ssh.ShellQuote.quote;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.FactQuery;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.HostFacts;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One remote script that reads every fact a host's plan needs: one round trip per host. */
final class FactsScript {
    private final List<FactQuery> queries;
    private final String marker;

    FactsScript(List<FactQuery> queries, String marker) {
        this.queries = queries;
        this.marker = marker;
    }

    String script() {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < queries.size(); i++) {
            String id = "f" + i;
            script.append(ScriptOutput.open(marker, id));
            FactQuery query = queries.get(i);
            if (query instanceof FactQuery.FileQuery file) {
                String p = quote(file.path());
                script.append("if [ -e ").append(p).append(" ] || [ -L ").append(p).append(" ]; then\n")
                        .append("  stat -c '%F|%a|%U|%G' -- ").append(p).append(" 2>&1\n");
                if (file.content()) {
                    script.append("  if [ -f ").append(p).append(" ]; then base64 -w0 -- ").append(p).append("; echo; fi\n");
                }
                script.append("else echo missing; fi\n");
                script.append(ScriptOutput.close(marker, id, "0"));
            } else if (query instanceof FactQuery.CommandQuery command) {
                script.append("(").append(command.shell()).append(") 2>&1; vc_rc=$?\n");
                script.append(ScriptOutput.close(marker, id, "$vc_rc"));
            }
        }
        return script.toString();
    }

    HostFacts parse(String stdout) {
        ScriptOutput output = new ScriptOutput(stdout, marker);
        Map<String, FileState> files = new LinkedHashMap<>();
        Map<String, CommandOutput> commands = new LinkedHashMap<>();
        for (int i = 0; i < queries.size(); i++) {
            ScriptOutput.Section section = output.section("f" + i);
            if (section == null || section.exitCode() == null) {
                throw new IllegalStateException("the facts script stopped before reading fact " + (i + 1) + " of " + queries.size());
            }
            FactQuery query = queries.get(i);
            if (query instanceof FactQuery.FileQuery file) {
                files.put(file.path(), fileState(file, section.lines()));
            } else if (query instanceof FactQuery.CommandQuery command) {
                commands.put(command.shell(), new CommandOutput(section.exitCode(), section.text()));
            }
        }
        return new HostFacts(Map.copyOf(files), Map.copyOf(commands));
    }

    private static FileState fileState(FactQuery.FileQuery query, List<String> lines) {
        if (lines.isEmpty() || lines.get(0).equals("missing")) {
            return FileState.MISSING;
        }
        String[] stat = lines.get(0).split("\\|", 4);
        if (stat.length < 4) {
            throw new IllegalStateException("cannot read the state of " + query.path() + ": " + lines.get(0));
        }
        Optional<byte[]> content = Optional.empty();
        if (query.content() && stat[0].startsWith("regular")) {
            String encoded = lines.size() > 1 ? lines.get(1).trim() : "";
            content = Optional.of(Base64.getDecoder().decode(encoded.getBytes(StandardCharsets.US_ASCII)));
        }
        return new FileState(true, stat[0], stat[1], stat[2], stat[3], content);
    }
}
