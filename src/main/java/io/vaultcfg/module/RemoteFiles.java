package io.vaultcfg.module;

import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How a file's owner, group and mode compare with what a task wants, in words for the plan. */
final class RemoteFiles {
    private RemoteFiles() {
    }

    /** Owner, group and mode differences between what is and what should be, e.g. "mode 644 -> 600". */
    static List<String> attributeDrift(FileState state, Optional<String> owner, Optional<String> group, Optional<FileMode> mode) {
        List<String> drift = new ArrayList<>();
        owner.filter(o -> !o.equals(state.owner())).ifPresent(o -> drift.add("owner " + state.owner() + " -> " + o));
        group.filter(g -> !g.equals(state.group())).ifPresent(g -> drift.add("group " + state.group() + " -> " + g));
        mode.filter(m -> !m.equals(state.mode())).ifPresent(m -> drift.add("mode " + state.mode() + " -> " + m));
        return drift;
    }

    static String describeAttributes(Optional<String> owner, Optional<String> group, Optional<FileMode> mode) {
        List<String> parts = new ArrayList<>();
        mode.ifPresent(m -> parts.add("mode " + m));
        if (owner.isPresent() || group.isPresent()) {
            parts.add(owner.orElse("") + ":" + group.orElse(""));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }
}
