package io.vaultcfg.playbook;

import java.util.Set;

/** What the playbook loader needs to know about modules to validate a task. */
public interface ModuleCatalog {
    Set<String> moduleNames();

    Set<String> argumentsOf(String module);
}
