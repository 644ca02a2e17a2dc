package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code audit_file}: read-only check that a file exists as a regular file with the given mode, owner and group
 * (e.g. {@code vault.env}: 0600, the service user). Reads only type, mode and owners (never the content, which
 * may hold a secret), through the same facts script as every task.
 */
final class AuditFileModule implements Module {
    @Override
    public String name() {
        return "audit_file";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("path", "mode", "owner", "group");
    }

    @Override
    public Action prepare(TaskInput input) {
        String path = input.requireString("path");
        if (!path.startsWith("/")) {
            throw input.error("path", "expected an absolute path");
        }
        return new Check(new FileFact(path, false), input.mode("mode"), input.optionalString("owner").filter(o -> !o.isBlank()),
                input.optionalString("group").filter(g -> !g.isBlank()));
    }

    private static String octal(FileMode mode) {
        return String.format("%04o", mode.bits());
    }

    private record Check(FileFact file, Optional<FileMode> mode, Optional<String> owner, Optional<String> group) implements Action {
        @Override
        public List<Fact<?>> facts() {
            return List.of(file);
        }

        @Override
        public Step plan(PlanContext context) {
            FileState state = context.facts().get(file);
            if (!state.exists()) {
                return AuditFinding.of(file.path() + " is missing");
            }
            if (!state.isRegularFile()) {
                return AuditFinding.of(file.path() + " is not a regular file (" + state.type() + ")");
            }
            List<String> wrong = new ArrayList<>();
            mode.filter(expected -> !expected.equals(state.mode()))
                    .ifPresent(expected -> wrong.add("mode " + octal(state.mode()) + ", should be " + octal(expected)));
            owner.filter(expected -> !expected.equals(state.owner()))
                    .ifPresent(expected -> wrong.add("owner " + state.owner() + ", should be " + expected));
            group.filter(expected -> !expected.equals(state.group()))
                    .ifPresent(expected -> wrong.add("group " + state.group() + ", should be " + expected));
            if (!wrong.isEmpty()) {
                return AuditFinding.of(file.path() + ": " + String.join("; ", wrong));
            }
            return Step.ok(file.path() + ": mode " + octal(state.mode()) + ", " + state.owner() + ":" + state.group());
        }
    }
}
