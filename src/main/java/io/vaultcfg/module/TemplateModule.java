package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.render.UnifiedDiff;
import io.vaultcfg.secret.Redactor;
import io.vaultcfg.shell.FileScripts;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Renders a Freemarker template on the controller and keeps a file on the host equal to it. */
final class TemplateModule implements Module {
    @Override
    public String name() {
        return "template";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("src", "dest", "owner", "group", "mode", "backup");
    }

    @Override
    public Action prepare(TaskInput input) {
        String src = input.requireString("src");
        String dest = input.requireString("dest");
        if (!dest.startsWith("/")) {
            throw input.error("dest", "must be an absolute path");
        }
        String content = input.templates().render(src, input.vars(), input.task().argLocation("src"));
        boolean backup = input.bool("backup", false);
        if (backup && !input.redactor().redact(content).equals(content)) {
            throw input.error("backup", "refused: the file holds a secret and a backup would leave a copy of it on the host "
                    + "(vaultcfg keeps no secret at rest); remove 'backup'");
        }
        return new Render(dest, content, input.optionalString("owner"), input.optionalString("group"),
                input.mode("mode"), backup, input.redactor());
    }

    private static final DateTimeFormatter BACKUP_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private record Render(String dest, String content, Optional<String> owner, Optional<String> group,
                          Optional<FileMode> mode, boolean backup, Redactor redactor) implements Action {

        @Override
        public List<Fact<?>> facts() {
            List<Fact<?>> facts = new ArrayList<>(PathTrust.factsForWrite(dest));
            facts.add(new FileFact(dest, true));
            return facts;
        }

        @Override
        public Step plan(PlanContext context) {
            Optional<String> refused = PathTrust.refusalForWrite(context.facts(), dest, owner);
            if (refused.isPresent()) {
                return Step.failed(refused.get());
            }
            FileState current = context.facts().file(dest);
            byte[] wanted = content.getBytes(StandardCharsets.UTF_8);
            String attributes = RemoteFiles.describeAttributes(owner, group, mode);
            if (!current.exists()) {
                return Step.changed("create " + dest + attributes,
                        Optional.of(UnifiedDiff.between(dest, null, content, redactor)),
                        write(wanted, ""));
            }
            if (!current.isRegularFile()) {
                return Step.failed(dest + " exists but is a " + current.type().description() + ", not a file");
            }
            byte[] existing = current.content().orElse(new byte[0]);
            if (!Arrays.equals(existing, wanted)) {
                String before = new String(existing, StandardCharsets.UTF_8);
                return Step.changed("update " + dest + attributes,
                        Optional.of(UnifiedDiff.between(dest, before, content, redactor)),
                        write(wanted, backup ? FileScripts.backup(dest, backupName()) : ""));
            }
            List<String> drift = RemoteFiles.attributeDrift(current, owner, group, mode);
            if (!drift.isEmpty()) {
                // the content the service loaded is unchanged: no handler (restart) for an owner or mode
                return Step.changed(dest + ": " + String.join(", ", drift), Optional.empty(),
                        write(wanted, "")).quietly();
            }
            return Step.ok(dest + " in sync");
        }

        /** Attribute fixes are whole rewrites too: root never chowns or chmods by path in a directory others may write. */
        private RemoteAction write(byte[] wanted, String before) {
            boolean secret = !redactor.redact(content).equals(content);
            return RemoteAction.withInput(before + FileScripts.writeFile(dest, wanted.length, owner, group, mode.map(FileMode::toString)), wanted, secret);
        }

        private String backupName() {
            return dest + "." + BACKUP_STAMP.format(LocalDateTime.now()) + "~";
        }
    }
}
