package io.vaultcfg.report;

/**
 * Text made safe for XML 1.0, where a host's output (a service log with terminal colour codes, say) may hold
 * characters XML cannot carry at all: those are written as {@code \}{@code uXXXX} instead, so the document always
 * parses and the reader still sees where they were.
 */
final class XmlText {
    private XmlText() {
    }

    /** For element content. */
    static String text(String value) {
        return escape(value, false);
    }

    /** For a double-quoted attribute value: line breaks and tabs kept as character references. */
    static String attribute(String value) {
        return escape(value, true);
    }

    private static String escape(String value, boolean attribute) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append(attribute ? "&quot;" : "\"");
                case '\n' -> out.append(attribute ? "&#10;" : "\n");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append(attribute ? "&#9;" : "\t");
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (allowed(c)) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\u%04X", (int) c));
                    }
                }
            }
        }
        return out.toString();
    }

    /** XML 1.0's Char production for one UTF-16 unit outside a surrogate pair. */
    private static boolean allowed(char c) {
        return (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
    }
}
