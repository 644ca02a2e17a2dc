package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.PlanContext;
import io.vaultcfg.plan.RemoteAction;
import io.vaultcfg.plan.Step;
import io.vaultcfg.shell.FileScripts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Ensures a directory exists with the given owner, group and mode. */
final class FileModule implements Module {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public Set<String> arguments() {
        return Set.of("path", "state", "owner", "group", "mode");
    }

    @Override
    public Action prepare(TaskInput input) {
        String path = input.requireString("path");
        if (!path.startsWith("/")) {
            throw input.error("path", "must be an absolute path");
        }
        String state = input.optionalString("state").orElse("directory");
        if (!state.equals("directory")) {
            throw input.error("state", "only 'directory' is supported (use 'template' for files)");
        }
        return new Directory(path, input.optionalString("owner"), input.optionalString("group"), input.mode("mode"));
    }

    private record Directory(String path, Optional<String> owner, Optional<String> group, Optional<FileMode> mode)
            implements Action {

        @Override
        public List<Fact<?>> facts() {
            List<Fact<?>> facts = new ArrayList<>(PathTrust.factsBelow(path));
            facts.add(new FileFact(path, false));
            return facts;
        }

        @Override
        public Step plan(PlanContext context) {
            Optional<String> refused = PathTrust.scriptUser(context.facts())
                    .flatMap(me -> PathTrust.refusalBelow(context.facts(), path, me));
            if (refused.isPresent()) {
                return Step.failed(refused.get());
            }
            FileState current = context.facts().file(path);
            if (!current.exists()) {
                return Step.changed("create directory " + path + RemoteFiles.describeAttributes(owner, group, mode),
                        Optional.empty(), RemoteAction.of(FileScripts.directory(path, owner, group, mode.map(FileMode::toString))));
            }
            if (!current.isDirectory()) {
                return Step.failed(path + " exists but is a " + current.type().description() + ", not a directory");
            }
            List<String> drift = RemoteFiles.attributeDrift(current, owner, group, mode);
            if (!drift.isEmpty()) {
                return Step.changed(path + ": " + String.join(", ", drift), Optional.empty(),
                        RemoteAction.of(FileScripts.directory(path, owner, group, mode.map(FileMode::toString))));
            }
            return Step.ok(path + " in sync");
        }
    }
}
