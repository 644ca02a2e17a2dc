package io.vaultcfg.vars;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.plan.Unknown;
import io.vaultcfg.render.UnknownText;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code {{ name }}} references in playbook values, Ansible's common case. A string that is
 * exactly one reference keeps the variable's type (so a list stays a list). Anything fancier than a
 * plain name (filters, expressions) is rejected rather than misread. A value only applying can produce
 * ({@link Unknown}) becomes its rendered text, as in a template.
 */
public final class Interpolator {
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Interpolator() {
    }

    public static Object resolve(Object value, Map<String, Object> vars, String location, String field) {
        if (value instanceof String text) {
            return resolveText(text, vars, location, field, 0);
        }
        if (value instanceof List<?> list) {
            List<Object> resolved = new ArrayList<>();
            for (Object item : list) {
                resolved.add(resolve(item, vars, location, field));
            }
            return resolved;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> resolved = new LinkedHashMap<>();
            map.forEach((key, item) -> resolved.put(String.valueOf(key), resolve(item, vars, location, String.valueOf(key))));
            return resolved;
        }
        return value;
    }

    public static boolean hasReference(String text) {
        return REFERENCE.matcher(text).find();
    }

    private static Object resolveText(String text, Map<String, Object> vars, String location, String field, int depth) {
        Matcher whole = REFERENCE.matcher(text);
        if (whole.matches()) {
            Object value = deeper(lookup(whole.group(1), vars, location, field), vars, location, field, depth);
            return value instanceof Unknown ? UnknownText.of(value) : value;
        }
        Matcher matcher = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            Object value = deeper(lookup(matcher.group(1), vars, location, field), vars, location, field, depth);
            matcher.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : UnknownText.of(value)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Variables may refer to other variables (vault_env_path: "{{ vault_config_dir }}/vault.env"). */
    private static Object deeper(Object value, Map<String, Object> vars, String location, String field, int depth) {
        if (value instanceof String text && hasReference(text)) {
            if (depth > 10) {
                throw new ConfigException(location, field, "variables refer to each other in a loop");
            }
            return resolveText(text, vars, location, field, depth + 1);
        }
        return value;
    }

    private static Object lookup(String expression, Map<String, Object> vars, String location, String field) {
        if (!NAME.matcher(expression).matches()) {
            throw new ConfigException(location, field, "only plain variable references like {{ name }} are supported, not '"
                    + expression + "'");
        }
        if (!vars.containsKey(expression)) {
            throw new ConfigException(location, field, "undefined variable '" + expression + "'");
        }
        return vars.get(expression);
    }
}
