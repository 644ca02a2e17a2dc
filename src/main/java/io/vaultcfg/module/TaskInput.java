package io.vaultcfg.module;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.playbook.Task;
import io.vaultcfg.render.TemplateRenderer;
import io.vaultcfg.secret.Redactor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A task's resolved arguments for one host, with typed accessors whose errors name the playbook line. */
public record TaskInput(Task task, Map<String, Object> args, Map<String, Object> vars, TemplateRenderer templates,
                        Redactor redactor) {

    public String requireString(String arg) {
        return optionalString(arg).orElseThrow(() -> error(arg, "required"));
    }

    public Optional<String> optionalString(String arg) {
        Object value = args.get(arg);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Map || value instanceof List) {
            throw error(arg, "expected text");
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    public boolean bool(String arg, boolean fallback) {
        Object value = args.get(arg);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(value).toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw error(arg, "expected true or false");
        };
    }

    public int integer(String arg, int fallback) {
        Object value = args.get(arg);
        if (value == null) {
            return fallback;
        }
        try {
            return value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw error(arg, "expected a whole number");
        }
    }

    public List<String> stringList(String arg) {
        Object value = args.get(arg);
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw error(arg, "expected a non-empty list");
        }
        List<String> items = new ArrayList<>();
        for (Object item : list) {
            if (item == null || item instanceof Map || item instanceof List) {
                throw error(arg, "expected a list of plain values");
            }
            items.add(String.valueOf(item));
        }
        return items;
    }

    /** File modes as octal text ("0600", "755"). */
    public Optional<FileMode> mode(String arg) {
        if (args.get(arg) instanceof Number) {
            throw error(arg, "write file modes as quoted octal text, e.g. \"0600\" (a bare 0600 is read as a number)");
        }
        return optionalString(arg).map(text -> {
            if (!text.matches("0?[0-7]{3,4}")) {
                throw error(arg, "expected an octal mode such as \"0600\"");
            }
            return FileMode.parse(text);
        });
    }

    public ConfigException error(String arg, String message) {
        return new ConfigException(task.argLocation(arg), arg, message);
    }
}
