package io.vaultcfg.run;

import io.vaultcfg.playbook.Play;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A host's variables for one play, lowest precedence first: play defaults, inventory (all, parent
 * groups, child groups, host), play vars, environment (VAULTCFG_VAR_*), extra vars (-e). Magic
 * variables come last and cannot be overridden.
 */
final class HostVariables {
    private HostVariables() {
    }

    static Map<String, Object> compose(Play play, String hostName, Map<String, Object> inventoryVars,
                                       Map<String, Object> magic, Map<String, Object> extraVars, boolean check) {
        Map<String, Object> vars = new LinkedHashMap<>(play.defaults());
        vars.putAll(inventoryVars);
        vars.putAll(play.vars());
        vars.putAll(extraVars);
        vars.putAll(magic);
        vars.put("inventory_hostname", hostName);
        vars.put("ansible_check_mode", check);
        return vars;
    }
}
