package io.vaultcfg.aws.emulator.http;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/** A minimal streaming XML builder for awsQuery responses. Null values are omitted, as AWS omits absent fields. */
public final class XmlWriter {
    private final StringBuilder out = new StringBuilder(256);
    private final Deque<String> open = new ArrayDeque<>();

    public XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    public XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    public XmlWriter element(String name, Object value) {
        if (value != null) {
            String text = value instanceof Instant instant ? isoTime(instant) : String.valueOf(value);
            out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        }
        return this;
    }

    /** {@code <name><member>..</member>..</name>} with {@code <Key>/<Value>} members, the IAM tag list shape. */
    public XmlWriter tags(String name, Map<String, String> tags) {
        start(name);
        tags.forEach((key, value) -> start("member").element("Key", key).element("Value", value).end());
        return end();
    }

    public boolean isEmpty() {
        return out.length() == 0;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    public static String isoTime(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Escapes element text (quotes need no escaping outside attributes). */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
