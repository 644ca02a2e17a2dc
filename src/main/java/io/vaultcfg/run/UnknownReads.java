package io.vaultcfg.run;

import io.vaultcfg.plan.Unknown;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * A task's variables that remember whether the task read a value not known yet (an {@link Unknown}): only
 * such a task is prepared again once the controller's values are known; every other one is prepared once.
 */
final class UnknownReads extends AbstractMap<String, Object> {
    private final Map<String, Object> vars;
    private boolean read;

    UnknownReads(Map<String, Object> vars) {
        this.vars = vars;
    }

    boolean read() {
        return read;
    }

    @Override
    public Object get(Object key) {
        Object value = vars.get(key);
        read |= value instanceof Unknown;
        return value;
    }

    @Override
    public boolean containsKey(Object key) {
        return vars.containsKey(key);
    }

    /** Whoever walks every variable may have seen an unknown one. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        read |= vars.values().stream().anyMatch(Unknown.class::isInstance);
        return vars.entrySet();
    }
}
