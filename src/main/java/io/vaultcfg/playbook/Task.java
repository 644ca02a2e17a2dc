package io.vaultcfg.playbook;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One task or handler as written: the module's arguments are kept raw (with {{ var }}
 * references) and resolved per host by the module.
 *
 * @param argLocations file:line of each argument, for error messages
 */
public record Task(
        String name,
        String module,
        Map<String, Object> args,
        Map<String, String> argLocations,
        List<String> notifies,
        List<String> listen,
        Set<String> tags,
        Optional<String> when,
        Optional<Boolean> changedWhen,
        boolean noLog,
        String location) {

    public String argLocation(String arg) {
        return argLocations.getOrDefault(arg, location);
    }
}
