package io.vaultcfg.module;

import io.vaultcfg.json.PlainJson;
import io.vaultcfg.module.HclTokens.Kind;
import io.vaultcfg.module.HclTokens.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code seal} stanza of one Vault/OpenBao configuration file, in HCL ({@code seal "awskms" { ... }},
 * {@code seal awskms { ... }}, {@code seal = { awskms = { ... } }}) or JSON ({@code {"seal": {"awskms": {...}}}},
 * lists of either). Values stay in memory: the credentials a stanza may name are never part of a message.
 */
final class SealStanzas {
    private SealStanzas() {
    }

    /**
     * One seal stanza.
     *
     * @param attributes its plain values (strings, numbers and booleans as text)
     * @param nested     names of its values that are lists or blocks
     */
    record Seal(String type, Map<String, String> attributes, Set<String> nested, String file, int line, int endLine) {
        Optional<String> attribute(String name) {
            return Optional.ofNullable(attributes.get(name)).filter(value -> !value.isEmpty());
        }

        String place() {
            return file + ":" + line;
        }

        @Override
        public String toString() {
            return "seal \"" + type + "\" at " + place(); // never its values
        }
    }

    /** A file that cannot be read as a configuration: where and why (never its text). */
    static final class NotUnderstood extends Exception {
        NotUnderstood(String message) {
            super(message, null, false, false);
        }
    }

    static List<Seal> in(String file, String content) throws NotUnderstood {
        return blocks("seal", file, content);
    }

    /** The {@code storage} stanzas, read alike: e.g. {@code raft} with {@code retry_join} among its nested blocks. */
    static List<Seal> storages(String file, String content) throws NotUnderstood {
        return blocks("storage", file, content);
    }

    private static List<Seal> blocks(String kind, String file, String content) throws NotUnderstood {
        boolean json = file.endsWith(".json") || content.stripLeading().startsWith("{");
        return json ? fromJson(kind, file, content) : fromHcl(kind, file, content);
    }

    // --- HCL ---------------------------------------------------------------------------------------------

    private sealed interface Value permits Scalar, Items, ListOf {
    }

    private record Scalar(String text) implements Value {
    }

    private record Item(List<String> keys, Value value, int line, int endLine) {
    }

    private record Items(List<Item> items) implements Value {
    }

    private record ListOf(List<Value> values) implements Value {
    }

    private static List<Seal> fromHcl(String kind, String file, String content) throws NotUnderstood {
        List<Token> tokens;
        try {
            tokens = HclTokens.of(content);
        } catch (HclTokens.Unreadable e) {
            throw new NotUnderstood(file + ":" + e.line + ": " + e.getMessage());
        }
        Parser parser = new Parser(file, tokens);
        List<Item> top = parser.body(null);
        List<Seal> seals = new ArrayList<>();
        for (Item item : top) {
            if (!item.keys().get(0).equals(kind)) {
                continue;
            }
            if (item.keys().size() >= 2) {
                seals.add(seal(item.keys().get(1), item.value(), file, item.line(), item.endLine()));
            } else {
                for (Item inner : innerItems(item.value())) {
                    seals.add(seal(inner.keys().get(0), inner.value(), file, inner.line(), inner.endLine()));
                }
                if (innerItems(item.value()).isEmpty()) {
                    seals.add(new Seal("", Map.of(), Set.of(), file, item.line(), item.endLine()));
                }
            }
        }
        return seals;
    }

    private static List<Item> innerItems(Value value) {
        List<Item> items = new ArrayList<>();
        if (value instanceof Items block) {
            items.addAll(block.items());
        } else if (value instanceof ListOf list) {
            list.values().forEach(element -> items.addAll(innerItems(element)));
        }
        return items;
    }

    private static Seal seal(String type, Value value, String file, int line, int endLine) {
        Map<String, String> attributes = new LinkedHashMap<>();
        Set<String> nested = new LinkedHashSet<>();
        for (Item item : innerItems(value)) {
            String name = String.join(".", item.keys());
            if (item.value() instanceof Scalar scalar) {
                attributes.put(name, scalar.text());
            } else {
                nested.add(name);
            }
        }
        return new Seal(type, Map.copyOf(attributes), Set.copyOf(nested), file, line, endLine);
    }

    private static final class Parser {
        private final String file;
        private final List<Token> tokens;
        private int at;

        Parser(String file, List<Token> tokens) {
            this.file = file;
            this.tokens = tokens;
        }

        /** Items until {@code end} (a closing brace), or until the end of the text when null. */
        List<Item> body(String end) throws NotUnderstood {
            List<Item> items = new ArrayList<>();
            while (true) {
                if (at >= tokens.size()) {
                    if (end != null) {
                        throw error(tokens.isEmpty() ? 1 : tokens.get(tokens.size() - 1).line(), "a block that never ends");
                    }
                    return items;
                }
                Token next = tokens.get(at);
                if (end != null && next.is(end)) {
                    at++;
                    return items;
                }
                if (next.is(",")) {
                    at++;
                    continue;
                }
                items.add(item());
            }
        }

        private Item item() throws NotUnderstood {
            Token first = tokens.get(at);
            List<String> keys = new ArrayList<>();
            while (at < tokens.size() && tokens.get(at).kind() != Kind.PUNCT) {
                keys.add(tokens.get(at).text());
                at++;
            }
            if (keys.isEmpty() || at >= tokens.size()) {
                throw error(first.line(), "expected a name followed by = or {");
            }
            Token after = tokens.get(at);
            if (after.is("=")) {
                at++;
                Value value = value();
                return new Item(keys, value, first.line(), tokens.get(at - 1).line());
            }
            if (after.is("{")) {
                at++;
                Value block = new Items(body("}"));
                return new Item(keys, block, first.line(), tokens.get(at - 1).line());
            }
            throw error(after.line(), "expected = or { after " + keys.get(0));
        }

        private Value value() throws NotUnderstood {
            if (at >= tokens.size()) {
                throw error(tokens.get(tokens.size() - 1).line(), "a value is missing");
            }
            Token token = tokens.get(at++);
            if (token.kind() != Kind.PUNCT) {
                return new Scalar(token.text());
            }
            if (token.is("{")) {
                return new Items(body("}"));
            }
            if (token.is("[")) {
                List<Value> values = new ArrayList<>();
                while (true) {
                    if (at >= tokens.size()) {
                        throw error(token.line(), "a list that never ends");
                    }
                    if (tokens.get(at).is("]")) {
                        at++;
                        return new ListOf(values);
                    }
                    if (tokens.get(at).is(",")) {
                        at++;
                        continue;
                    }
                    values.add(value());
                }
            }
            throw error(token.line(), "unexpected '" + token.text() + "'");
        }

        private NotUnderstood error(int line, String why) {
            return new NotUnderstood(file + ":" + line + ": " + why);
        }
    }

    // --- JSON --------------------------------------------------------------------------------------------

    private static List<Seal> fromJson(String kind, String file, String content) throws NotUnderstood {
        Optional<Object> root;
        try {
            root = PlainJson.parse(content);
        } catch (RuntimeException e) {
            throw new NotUnderstood(file + ": not valid JSON");
        }
        if (root.isEmpty()) {
            throw new NotUnderstood(file + ": not valid JSON");
        }
        if (!(root.get() instanceof Map<?, ?>)) {
            throw new NotUnderstood(file + ": not a JSON object");
        }
        Object seal = PlainJson.object(root.get()).get(kind);
        List<Seal> seals = new ArrayList<>();
        if (seal != null) {
            int line = lineOf(content, "\"" + kind + "\"");
            jsonSeals(seal, file, line, seals);
        }
        return seals;
    }

    private static void jsonSeals(Object node, String file, int line, List<Seal> seals) {
        if (node instanceof List<?> list) {
            list.forEach(element -> jsonSeals(element, file, line, seals));
        } else if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((type, body) -> jsonBodies(String.valueOf(type), body, file, line, seals));
        } else {
            seals.add(new Seal("", Map.of(), Set.of(), file, line, line));
        }
    }

    private static void jsonBodies(String type, Object body, String file, int line, List<Seal> seals) {
        if (body instanceof List<?> list) {
            list.forEach(element -> jsonBodies(type, element, file, line, seals));
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        Set<String> nested = new LinkedHashSet<>();
        if (body instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                if (value instanceof Map || value instanceof List) {
                    nested.add(String.valueOf(name));
                } else if (value != PlainJson.NULL && value != null) {
                    attributes.put(String.valueOf(name), String.valueOf(value));
                }
            });
        }
        seals.add(new Seal(type, Map.copyOf(attributes), Set.copyOf(nested), file, line, line));
    }

    private static int lineOf(String content, String needle) {
        int index = content.indexOf(needle);
        if (index < 0) {
            return 1;
        }
        return (int) content.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }
}
