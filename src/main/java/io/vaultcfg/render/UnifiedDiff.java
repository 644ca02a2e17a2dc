package io.vaultcfg.render;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.vaultcfg.secret.Redactor;
import java.util.Arrays;
import java.util.List;

/** A readable unified diff between what is on the host and what should be, with secrets masked. */
public final class UnifiedDiff {
    private UnifiedDiff() {
    }

    /**
     * Diffs the real texts (so a changed secret still shows as a changed line), then masks every
     * line on the way out.
     */
    public static String between(String path, String before, String after, Redactor redactor) {
        List<String> oldLines = lines(before);
        List<String> newLines = lines(after);
        Patch<String> patch = DiffUtils.diff(oldLines, newLines);
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(
                before == null ? "/dev/null" : "before: " + path, "after: " + path, oldLines, patch, 3);
        StringBuilder out = new StringBuilder();
        for (String line : unified) {
            out.append(redactor.redact(line)).append('\n');
        }
        return out.toString();
    }

    private static List<String> lines(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        String[] parts = text.split("\n", -1);
        int count = text.endsWith("\n") ? parts.length - 1 : parts.length;
        return Arrays.asList(parts).subList(0, count);
    }
}
