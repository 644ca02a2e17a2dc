package io.vaultcfg.module;

import java.util.ArrayList;
import java.util.List;

/**
 * The assignments of one systemd unit file or drop-in, read as systemd reads them: {@code [Section]} headers,
 * {@code #} and {@code ;} comment lines, {@code Key=Value} with blanks around the {@code =} dropped, and a
 * trailing backslash continuing the value on the next line (comment lines in between skipped).
 */
final class UnitFile {
    /** One {@code Key=Value} line of a section; {@code line} is where it starts. */
    record Assignment(String section, String key, String value, String file, int line) {
        String place() {
            return file + ":" + line;
        }
    }

    private UnitFile() {
    }

    static List<Assignment> assignments(String file, String content) {
        List<Assignment> assignments = new ArrayList<>();
        String section = "";
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1).strip();
                continue;
            }
            StringBuilder logical = new StringBuilder();
            while (line.endsWith("\\") && i + 1 < lines.length) {
                logical.append(line, 0, line.length() - 1).append(' ');
                i++;
                line = lines[i].strip();
                while ((line.startsWith("#") || line.startsWith(";")) && i + 1 < lines.length) {
                    i++;
                    line = lines[i].strip();
                }
            }
            logical.append(line);
            String text = logical.toString();
            int equals = text.indexOf('=');
            if (equals <= 0) {
                continue; // systemd ignores such a line with a warning
            }
            assignments.add(new Assignment(section, text.substring(0, equals).strip(), text.substring(equals + 1).strip(),
                    file, number));
        }
        return assignments;
    }
}
