package io.vaultcfg.plan;

/** Ansible's per-task outcomes. */
public enum StepStatus {
    OK, CHANGED, SKIPPED, FAILED;

    public String label() {
        return name().toLowerCase();
    }
}
