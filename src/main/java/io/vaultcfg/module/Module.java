package io.vaultcfg.module;

import io.vaultcfg.plan.Action;
import java.util.Set;

/**
 * A playbook module. {@link #prepare} runs on the controller before any host is contacted: it
 * validates arguments and renders content, so bad input stops the run before anything changes.
 */
public interface Module {
    String name();

    Set<String> arguments();

    Action prepare(TaskInput input);
}
