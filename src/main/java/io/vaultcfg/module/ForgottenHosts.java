package io.vaultcfg.module;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The {@code forget_hosts} argument: hosts the operator declares gone for good, whose keys may then be retired. */
final class ForgottenHosts {
    private ForgottenHosts() {
    }

    /** Hosts the operator declares gone for good: a list, or names separated by commas or spaces (from -e). */
    static Set<String> from(TaskInput input) {
        Object raw = input.args().get("forget_hosts");
        List<String> names = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(item -> names.add(String.valueOf(item).trim()));
        } else if (raw != null) {
            names.addAll(List.of(String.valueOf(raw).trim().split("[,\\s]+")));
        }
        Set<String> forgotten = new LinkedHashSet<>();
        for (String name : names) {
            if (!name.isEmpty()) {
                if (!name.matches("[A-Za-z0-9_.:\\-\\[\\]]+")) {
                    throw input.error("forget_hosts", "expected host names separated by commas, got '" + name + "'");
                }
                forgotten.add(name);
            }
        }
        return Set.copyOf(forgotten);
    }
}
