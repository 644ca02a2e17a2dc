package io.vaultcfg.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a script's stdout into sections opened by {@code <marker> <id>} lines and closed by
 * {@code <marker> end <id> <code>} lines. The marker carries a random nonce so command output can
 * never forge one.
 */
final class ScriptOutput {
    record Section(List<String> lines, Integer exitCode) {
        String text() {
            return String.join("\n", lines);
        }
    }

    private final Map<String, Section> sections = new LinkedHashMap<>();

    ScriptOutput(String stdout, String marker) {
        String open = marker + " ";
        String current = null;
        List<String> lines = null;
        for (String line : stdout.split("\n", -1)) {
            int marked = line.indexOf(open);
            if (marked > 0 && current != null) {
                // output that did not end with a line break (e.g. an HTTP body) runs into the marker line
                lines.add(line.substring(0, marked));
                line = line.substring(marked);
            }
            if (line.startsWith(open)) {
                String[] parts = line.substring(open.length()).trim().split(" ");
                if (parts[0].equals("end") && parts.length == 3) {
                    if (current != null) {
                        sections.put(current, new Section(List.copyOf(lines), Integer.parseInt(parts[2])));
                    }
                    current = null;
                } else {
                    if (current != null) {
                        sections.put(current, new Section(List.copyOf(lines), null));
                    }
                    current = parts[0];
                    lines = new ArrayList<>();
                }
            } else if (current != null) {
                lines.add(line);
            }
        }
        if (current != null) {
            sections.put(current, new Section(List.copyOf(lines), null));
        }
    }

    Section section(String id) {
        return sections.get(id);
    }

    static String open(String marker, String id) {
        return "echo '" + marker + " " + id + "'\n";
    }

    static String close(String marker, String id, String exitCodeExpression) {
        return "echo \"" + marker + " end " + id + " " + exitCodeExpression + "\"\n";
    }
}
