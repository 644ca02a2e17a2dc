package io.vaultcfg.module;

import io.vaultcfg.plan.Fact;
import io.vaultcfg.plan.FileFact;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.HostFacts;
import io.vaultcfg.shell.FileScripts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether root may write below a directory, judged from the facts by the rule the host's write script
 * enforces ({@link FileScripts}): every existing ancestor a real directory owned by root (or the user
 * the script runs as) that no one else can write, a sticky one excepted. Planning with it lets check
 * mode refuse exactly what apply would refuse, before anything is changed.
 */
final class PathTrust {
    private static final ScriptUserFact WHO_RUNS_THE_SCRIPT = new ScriptUserFact();

    private PathTrust() {
    }

    /** The facts a write of {@code dest} is judged by: its directory, that directory's ancestors, the script's user. */
    static List<Fact<?>> factsForWrite(String dest) {
        List<Fact<?>> facts = factsBelow(FileScripts.parent(dest));
        facts.add(new FileFact(FileScripts.parent(dest), false));
        return facts;
    }

    /** The facts a directory is judged by: its ancestors and the script's user. */
    static List<Fact<?>> factsBelow(String path) {
        List<Fact<?>> facts = new ArrayList<>();
        FileScripts.ancestors(path).forEach(ancestor -> facts.add(new FileFact(ancestor, false)));
        facts.add(WHO_RUNS_THE_SCRIPT);
        return facts;
    }

    /** Why {@code dest} may not be written with this owner, if it may not. */
    static Optional<String> refusalForWrite(HostFacts facts, String dest, Optional<String> fileOwner) {
        String dir = FileScripts.parent(dest);
        Optional<String> me = scriptUser(facts);
        if (me.isEmpty()) {
            return Optional.empty(); // the host's own check still holds
        }
        Optional<String> above = refusalBelow(facts, dir, me.get());
        if (above.isPresent()) {
            return above;
        }
        FileState state = facts.file(dir);
        if (!state.exists()) {
            return Optional.empty(); // an earlier task creates it, trusted
        }
        if (!state.isDirectory()) {
            return Optional.of("refused: " + dir + " is not a directory (a link?)");
        }
        boolean trustedOwner = state.owner().equals("root") || state.owner().equals(me.get());
        if (!trustedOwner && !fileOwner.filter(state.owner()::equals).isPresent()) {
            return Optional.of("refused: " + dir + " belongs to " + state.owner() + ", neither root nor the file's owner");
        }
        return Optional.empty();
    }

    /** Why root may not create or change anything below {@code path}'s ancestors, if it may not. */
    static Optional<String> refusalBelow(HostFacts facts, String path, String me) {
        for (String ancestor : FileScripts.ancestors(path)) {
            FileState state = facts.file(ancestor);
            if (!state.exists()) {
                break;
            }
            Optional<String> why = !state.isDirectory() ? Optional.of(ancestor + " is not a directory (a link?)")
                    : !state.owner().equals("root") && !state.owner().equals(me) ? Optional.of(ancestor + " belongs to " + state.owner() + ", not root")
                    : state.mode().groupOrOthersMayWrite() && !state.mode().sticky()
                    ? Optional.of(ancestor + " is writable by group or others")
                    : Optional.empty();
            if (why.isPresent()) {
                return Optional.of("refused: " + why.get() + "; another user could redirect what root writes there");
            }
        }
        return Optional.empty();
    }

    static Optional<String> scriptUser(HostFacts facts) {
        return facts.get(WHO_RUNS_THE_SCRIPT);
    }
}
