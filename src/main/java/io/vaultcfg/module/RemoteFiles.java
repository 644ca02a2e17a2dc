package io.vaultcfg.module;

import static io.vaultcfg.ssh.ShellQuote.quote;

import io.vaultcfg.plan.FileState;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Shell fragments that change files on a host, safely and atomically. */
final class RemoteFiles {
    private RemoteFiles() {
    }

    /**
     * Writes content through a temp file in the destination directory, created 0600 by mktemp under
     * umask 077 (never readable by others, not even for a moment), given its owner and final mode,
     * then renamed over the destination. Without owner/group/mode the existing file's are kept.
     */
    static String writeFile(String dest, byte[] content, Optional<String> owner, Optional<String> group,
                            Optional<String> mode, boolean backup) {
        String d = quote(dest);
        StringBuilder shell = new StringBuilder();
        shell.append("vc_tmp=$(umask 077 && mktemp ").append(quote(parent(dest) + "/.vaultcfg.XXXXXXXX")).append(")\n");
        shell.append("if ! { base64 -d > \"$vc_tmp\" <<'VAULTCFG_CONTENT'\n");
        shell.append(Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(content)).append('\n');
        shell.append("VAULTCFG_CONTENT\n");
        List<String> steps = new ArrayList<>();
        if (owner.isPresent() || group.isPresent()) {
            steps.add("chown " + quote(owner.orElse("") + group.map(g -> ":" + g).orElse("")) + " \"$vc_tmp\"");
        } else {
            steps.add("{ [ ! -e " + d + " ] || chown --reference=" + d + " \"$vc_tmp\"; }");
        }
        if (mode.isPresent()) {
            steps.add("chmod " + quote(mode.get()) + " \"$vc_tmp\"");
        } else {
            steps.add("{ [ ! -e " + d + " ] || chmod --reference=" + d + " \"$vc_tmp\"; }");
        }
        if (backup) {
            steps.add("{ [ ! -f " + d + " ] || cp -p " + d + " " + d + ".$(date +%Y%m%d%H%M%S)~; }");
        }
        steps.add("mv -f \"$vc_tmp\" " + d);
        shell.append(String.join(" && ", steps)).append("; }; then rm -f \"$vc_tmp\"; exit 1; fi\n");
        return shell.toString();
    }

    static String ensureAttributes(String path, Optional<String> owner, Optional<String> group, Optional<String> mode) {
        List<String> steps = new ArrayList<>();
        if (owner.isPresent() || group.isPresent()) {
            steps.add("chown " + quote(owner.orElse("") + group.map(g -> ":" + g).orElse("")) + " " + quote(path));
        }
        mode.ifPresent(m -> steps.add("chmod " + quote(m) + " " + quote(path)));
        return steps.isEmpty() ? ":" : String.join(" && ", steps);
    }

    /** Owner, group and mode differences between what is and what should be, e.g. "mode 644 -> 600". */
    static List<String> attributeDrift(FileState state, Optional<String> owner, Optional<String> group, Optional<String> mode) {
        List<String> drift = new ArrayList<>();
        owner.filter(o -> !o.equals(state.owner())).ifPresent(o -> drift.add("owner " + state.owner() + " -> " + o));
        group.filter(g -> !g.equals(state.group())).ifPresent(g -> drift.add("group " + state.group() + " -> " + g));
        mode.filter(m -> !m.equals(state.mode())).ifPresent(m -> drift.add("mode " + state.mode() + " -> " + m));
        return drift;
    }

    static String describeAttributes(Optional<String> owner, Optional<String> group, Optional<String> mode) {
        List<String> parts = new ArrayList<>();
        mode.ifPresent(m -> parts.add("mode " + m));
        if (owner.isPresent() || group.isPresent()) {
            parts.add(owner.orElse("") + ":" + group.orElse(""));
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return slash == 0 ? "" : ".";
        }
        return path.substring(0, slash);
    }
}
