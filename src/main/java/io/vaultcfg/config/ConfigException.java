package io.vaultcfg.config;

import java.nio.file.Path;

/**
 * Bad user input: names the file, the line and the field so the user can fix it without guessing.
 * Messages never carry variable values, so no secret can leak through one.
 */
public final class ConfigException extends RuntimeException {
    private final String location;

    public ConfigException(Path file, int line, String field, String message) {
        this(location(file, line), field, message);
    }

    public ConfigException(String location, String field, String message) {
        super(format(location, field, message));
        this.location = location;
    }

    public String location() {
        return location;
    }

    private static String location(Path file, int line) {
        String name = file == null ? "<input>" : file.toString();
        return line > 0 ? name + ":" + line : name;
    }

    private static String format(String location, String field, String message) {
        StringBuilder text = new StringBuilder(location).append(": ");
        if (field != null && !field.isEmpty()) {
            text.append("field '").append(field).append("': ");
        }
        return text.append(message).toString();
    }
}
