package io.vaultcfg.cli;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON written byte for byte as Python's {@code json.dumps(value, sort_keys=True, indent=4, ensure_ascii=False)} writes
 * it (what {@code ansible-inventory} prints), so the two outputs can be diffed.
 */
final class PythonJson {
    private PythonJson() {
    }

    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, 0, out);
        return out.toString();
    }

    private static void write(Object value, int depth, StringBuilder out) {
        if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                out.append("{}");
                return;
            }
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
            out.append("{");
            String separator = "\n";
            for (Map.Entry<String, Object> entry : sorted.entrySet()) {
                out.append(separator).append(indent(depth + 1));
                string(entry.getKey(), out);
                out.append(": ");
                write(entry.getValue(), depth + 1, out);
                separator = ",\n";
            }
            out.append("\n").append(indent(depth)).append("}");
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[");
            String separator = "\n";
            for (Object item : list) {
                out.append(separator).append(indent(depth + 1));
                write(item, depth + 1, out);
                separator = ",\n";
            }
            out.append("\n").append(indent(depth)).append("]");
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
            out.append(value);
        } else if (value instanceof Double number) {
            out.append(pythonFloat(number));
        } else {
            string(String.valueOf(value), out);
        }
    }

    /** Python's repr of a float: plain digits from 1e-4 up to 1e16, else d.ddde+XX. */
    static String pythonFloat(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (value == 0 || magnitude >= 1e-4 && magnitude < 1e16) {
            String plain = exact.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        String digits = exact.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - exact.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (value < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) { // ansible-inventory writes other characters as they are (ensure_ascii off)
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String indent(int depth) {
        return "    ".repeat(depth);
    }
}
