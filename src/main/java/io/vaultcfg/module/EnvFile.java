package io.vaultcfg.module;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables of an {@code EnvironmentFile=} as systemd reads them: {@code KEY=VALUE} lines, {@code #} and
 * {@code ;} comments, single or double quotes around a value (backslash escapes inside double quotes), an
 * {@code export} word tolerated. Values may be secrets: never part of a message.
 */
final class EnvFile {
    private EnvFile() {
    }

    static Map<String, String> variables(String content) {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String raw : content.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int equals = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || equals <= 0) {
                continue;
            }
            String name = line.substring(0, equals).strip();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                continue;
            }
            variables.put(name, value(line.substring(equals + 1).strip()));
        }
        return variables;
    }

    private static String value(String text) {
        if (text.length() >= 2 && text.charAt(0) == '\'' && text.endsWith("'")) {
            return text.substring(1, text.length() - 1);
        }
        if (text.length() >= 2 && text.charAt(0) == '"' && text.endsWith("\"")) {
            StringBuilder value = new StringBuilder();
            String inner = text.substring(1, text.length() - 1);
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                if (c == '\\' && i + 1 < inner.length()) {
                    value.append(inner.charAt(++i));
                } else {
                    value.append(c);
                }
            }
            return value.toString();
        }
        return text;
    }
}
