package io.vaultcfg.playbook;

import java.util.List;

/** A parsed playbook: plays in file order. {@code source} names it in messages (a path or "builtin:..."). */
public record Playbook(String source, List<Play> plays) {
}
