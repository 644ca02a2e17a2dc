package io.vaultcfg.module;

import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-made env file the unit loads, given another access key pair in place: its AWS_ACCESS_KEY_ID and
 * AWS_SECRET_ACCESS_KEY lines rewritten, every other line kept. Its diff never shows a secret, whatever its form.
 */
final class EnvFileEdit {
    private static final String REDACTED_BEFORE = "AWS_SECRET_ACCESS_KEY=<redacted: the secret it holds>";
    private static final String REDACTED_AFTER = "AWS_SECRET_ACCESS_KEY=<redacted: the new secret>";

    private EnvFileEdit() {
    }

    static String withCredentials(String content, String accessKeyId, String secretAccessKey) {
        List<String> lines = new ArrayList<>();
        boolean idSet = false;
        boolean secretSet = false;
        for (String line : content.split("\n", -1)) {
            String name = name(line);
            if (name.equals("AWS_ACCESS_KEY_ID")) {
                lines.add(idSet ? "" : "AWS_ACCESS_KEY_ID=" + accessKeyId);
                idSet = true;
            } else if (name.equals("AWS_SECRET_ACCESS_KEY")) {
                lines.add(secretSet ? "" : "AWS_SECRET_ACCESS_KEY=" + secretAccessKey);
                secretSet = true;
            } else {
                lines.add(line);
            }
        }
        return String.join("\n", lines);
    }

    static String diff(String path, String before, String after, Redactor redactor) {
        return io.vaultcfg.render.UnifiedDiff.between(path, masked(before, REDACTED_BEFORE), masked(after, REDACTED_AFTER), redactor);
    }

    private static String masked(String content, String replacement) {
        List<String> lines = new ArrayList<>();
        for (String line : content.split("\n", -1)) {
            lines.add(name(line).equals("AWS_SECRET_ACCESS_KEY") ? replacement : line);
        }
        return String.join("\n", lines);
    }

    private static String name(String line) {
        String trimmed = line.strip();
        if (trimmed.startsWith("export ")) {
            trimmed = trimmed.substring("export ".length()).strip();
        }
        int equals = trimmed.indexOf('=');
        return trimmed.startsWith("#") || equals <= 0 ? "" : trimmed.substring(0, equals).strip();
    }
}
