package io.vaultcfg.module;

import io.vaultcfg.secret.Redactor;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A hand-made configuration file without its {@code seal "awskms"} stanza, once vaultcfg's own stanza file takes
 * it over: the stanza's lines replaced by a comment saying where it went. Only an HCL stanza that stands on lines
 * of its own is moved. The diff shows the removed lines and nothing around them (the rest of the file may hold
 * other secrets, e.g. a storage backend's).
 */
record StanzaRemoval(String after, List<String> removed, int line, String comment) {
    static Optional<StanzaRemoval> of(String content, SealStanzas.Seal seal, String movedTo) {
        if (seal.file().endsWith(".json") || seal.endLine() < seal.line()) {
            return Optional.empty();
        }
        String[] lines = content.split("\n", -1);
        int first = seal.line() - 1;
        int last = seal.endLine() - 1;
        if (last >= lines.length || !lines[first].strip().startsWith("seal") || !lines[last].strip().equals("}")) {
            return Optional.empty();
        }
        String comment = "# seal \"awskms\" moved by vaultcfg to " + movedTo;
        StringBuilder after = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (i == first) {
                after.append(comment);
            } else if (i > first && i <= last) {
                continue;
            } else {
                after.append(lines[i]);
            }
            if (i < lines.length - 1) {
                after.append('\n');
            }
        }
        return Optional.of(new StanzaRemoval(after.toString(), List.copyOf(Arrays.asList(lines).subList(first, last + 1)), seal.line(), comment));
    }

    String diff(String path, Redactor redactor) {
        StringBuilder diff = new StringBuilder("--- before: " + path + "\n+++ after: " + path + "\n@@ -" + line + ","
                + removed.size() + " +" + line + ",1 @@\n");
        removed.forEach(text -> diff.append(redactor.redact("-" + text)).append('\n'));
        diff.append('+').append(comment).append("\n(the lines around it are unchanged and not shown)\n");
        return diff.toString();
    }
}
