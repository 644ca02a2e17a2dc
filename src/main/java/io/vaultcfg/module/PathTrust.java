package io.vaultcfg.module;

import io.vaultcfg.plan.CommandOutput;
import io.vaultcfg.plan.FactQuery;
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
    /** sshd and sudo set USER to the user the script runs as: a builtin, no process on every host (id -un only without it). */
    static final String WHO_RUNS_THE_SCRIPT = "printf '%s\\n' \"${USER:-$(id -un)}\"";

    private PathTrust() {
    }

    /** The facts a write of {@code dest} is judged by: its directory, that directory's ancestors, the script's user. */
    static List<FactQuery> factsForWrite(String dest) {
        List<FactQuery> facts = factsBelow(FileScripts.parent(dest));
        facts.add(new FactQuery.FileQuery(FileScripts.parent(dest), false));
        return facts;
    }

    /** The facts a directory is judged by: its ancestors and the script's user. */
    static List<FactQuery> factsBelow(String path) {
        List<FactQuery> facts = new ArrayList<>();
        FileScripts.ancestors(path).forEach(ancestor -> facts.add(new FactQuery.FileQuery(ancestor, false)));
        facts.add(new FactQuery.CommandQuery(WHO_RUNS_THE_SCRIPT));
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
                    : writableByOthers(state.mode()) ? Optional.of(ancestor + " is writable by group or others")
                    : Optional.empty();
            if (why.isPresent()) {
                return Optional.of("refused: " + why.get() + "; another user could redirect what root writes there");
            }
        }
        return Optional.empty();
    }

    static Optional<String> scriptUser(HostFacts facts) {
        CommandOutput whoami = facts.command(WHO_RUNS_THE_SCRIPT);
        return whoami.exitCode() == 0 && !whoami.output().isBlank() ? Optional.of(whoami.output().strip()) : Optional.empty();
    }

    private static boolean writableByOthers(String mode) {
        int bits = Integer.parseInt(mode, 8);
        return (bits & 022) != 0 && (bits & 01000) == 0;
    }
}
