package io.vaultcfg.aws.emulator.policy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Condition-key values of one request (keys are case-insensitive, as in IAM). */
public final class RequestContext {
    private final Map<String, List<String>> values = new HashMap<>();

    public RequestContext put(String key, String value) {
        if (value != null) {
            values.put(key.toLowerCase(Locale.ROOT), List.of(value));
        }
        return this;
    }

    public List<String> values(String key) {
        return values.getOrDefault(key.toLowerCase(Locale.ROOT), List.of());
    }
}
