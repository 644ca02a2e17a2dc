package io.vaultcfg.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * A YAML file read as a node tree, so every value keeps the line it came from. Typed accessors
 * turn a wrong shape into a {@link ConfigException} naming file, line and field.
 */
public final class YamlDocument {
    private final Path file;
    private final Node root;
    private final Map<Node, Node> keyOfValue = new java.util.IdentityHashMap<>();

    private YamlDocument(Path file, Node root) {
        this.file = file;
        this.root = root;
    }

    public static YamlDocument load(Path file, String what) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(file, reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null, what + " file not found");
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read " + what + " file: " + e.getMessage());
        }
    }

    public static YamlDocument parse(Path file, Reader reader) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // duplicates are reported by mapping() with a line number
        options.setMaxAliasesForCollections(YamlTreeCheck.ALIAS_NODE_BUDGET); // the real bound, with a line: YamlTreeCheck
        options.setTagInspector(tag -> true); // nothing is ever constructed; YamlTreeCheck refuses each non-core tag by line and field
        Resolver resolver = new CoreSchemaResolver();
        DumperOptions dumping = new DumperOptions(); // required by the constructor; only compose() is used: no object is ever built
        try {
            Node root = new Yaml(new SafeConstructor(options), new Representer(dumping), dumping, options, resolver).compose(reader);
            YamlTreeCheck.check(file, root, resolver);
            YamlMergeKeys.apply(file, root);
            return new YamlDocument(file, root);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() != null ? e.getProblemMark().getLine() + 1 : 0;
            throw new ConfigException(file, line, null, "malformed YAML: " + e.getProblem());
        } catch (YAMLException e) {
            throw new ConfigException(file, 0, null, "malformed YAML: " + e.getMessage());
        }
    }

    /**
     * YAML 1.1's implicit timestamps stay text, as they always were here: only the core schema's types are
     * read. A plain scalar is a float only where PyYAML (Ansible's reader) reads one: {@code 1e5} and
     * {@code 08} stay text there, while SnakeYAML would make them floats.
     */
    private static final class CoreSchemaResolver extends Resolver {
        private static final java.util.regex.Pattern PYYAML_FLOAT = java.util.regex.Pattern.compile(
                "[-+]?[0-9][0-9_]*\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?"
                        + "|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");

        @Override
        public Tag resolve(NodeId kind, String value, boolean implicit) {
            Tag tag = super.resolve(kind, value, implicit);
            if (tag.equals(Tag.FLOAT) && implicit && !PYYAML_FLOAT.matcher(value).matches()) {
                return Tag.STR;
            }
            return tag.equals(Tag.TIMESTAMP) ? Tag.STR : tag;
        }
    }

    public Path file() {
        return file;
    }

    /** The document's root node, or null when the file is empty. */
    public Node root() {
        return root;
    }

    public int line(Node node) {
        return node == null ? 0 : node.getStartMark().getLine() + 1;
    }

    public ConfigException error(Node node, String field, String message) {
        return new ConfigException(file, line(node), field, message);
    }

    public boolean isNull(Node node) {
        return node == null || (node instanceof ScalarNode && node.getTag().equals(Tag.NULL));
    }

    /** A mapping with string keys, in file order; duplicate keys are an error. */
    public Map<String, Node> mapping(Node node, String field) {
        if (isNull(node)) {
            return Map.of();
        }
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, field, "expected a mapping (key: value), got " + describe(node));
        }
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode key)) {
                throw error(keyNode, field, "keys must be plain text");
            }
            if (entries.containsKey(key.getValue())) {
                throw error(keyNode, key.getValue(), "duplicate key");
            }
            entries.put(key.getValue(), tuple.getValueNode());
            keyOfValue.put(tuple.getValueNode(), keyNode);
        }
        return entries;
    }

    /** Rejects keys outside {@code allowed}, suggesting the closest one. */
    public void requireKnownKeys(Map<String, Node> entries, Collection<String> allowed, String what) {
        for (String key : entries.keySet()) {
            if (!allowed.contains(key)) {
                throw error(keyNodeLine(entries.get(key)), key, DidYouMean.unknown(what, key, allowed));
            }
        }
    }

    private Node keyNodeLine(Node valueNode) {
        return keyOfValue.getOrDefault(valueNode, valueNode);
    }

    public List<Node> sequence(Node node, String field) {
        if (isNull(node)) {
            return List.of();
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, field, "expected a list, got " + describe(node));
        }
        return sequence.getValue();
    }

    /** A list of strings; a single string is accepted as a one-element list, as Ansible does. */
    public List<String> stringList(Node node, String field) {
        if (node instanceof ScalarNode) {
            return List.of(string(node, field));
        }
        List<String> values = new ArrayList<>();
        for (Node item : sequence(node, field)) {
            values.add(string(item, field));
        }
        return values;
    }

    public String string(Node node, String field) {
        if (!(node instanceof ScalarNode scalar) || isNull(node)) {
            throw error(node, field, "expected text, got " + describe(node));
        }
        return scalar.getValue();
    }

    public int integer(Node node, String field) {
        Object value = plain(node, field);
        if (value instanceof Number number && number.longValue() == number.doubleValue()
                && number.longValue() <= Integer.MAX_VALUE && number.longValue() >= Integer.MIN_VALUE) {
            return number.intValue();
        }
        throw error(node, field, "expected a whole number, got " + describe(node));
    }

    public boolean bool(Node node, String field) {
        Object value = plain(node, field);
        if (value instanceof Boolean b) {
            return b;
        }
        throw error(node, field, "expected true or false, got " + describe(node));
    }

    /**
     * Converts a node to plain Java values: String, Long, Double, Boolean, null, List, Map.
     * Tags outside YAML's core schema (Ansible's {@code !vault}, {@code !unsafe}) were rejected by {@link #parse}.
     */
    public Object plain(Node node, String field) {
        if (node == null) {
            return null;
        }
        if (node instanceof MappingNode) {
            Map<String, Object> map = new LinkedHashMap<>();
            mapping(node, field).forEach((key, value) -> map.put(key, plain(value, key)));
            return map;
        }
        if (node instanceof SequenceNode) {
            List<Object> list = new ArrayList<>();
            for (Node item : sequence(node, field)) {
                list.add(plain(item, field));
            }
            return list;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        try {
            if (tag.equals(Tag.NULL)) {
                return null;
            }
            if (tag.equals(Tag.BOOL)) {
                return switch (text.toLowerCase()) {
                    case "true", "yes", "on", "y" -> Boolean.TRUE;
                    default -> Boolean.FALSE;
                };
            }
            if (tag.equals(Tag.INT)) {
                return yaml11Integer(text.replace("_", ""));
            }
            if (tag.equals(Tag.FLOAT)) {
                if (text.contains(":")) {
                    throw error(node, field, "base-60 numbers (" + text + ") are not supported; quote the value");
                }
                return Double.parseDouble(text.replace("_", ""));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(node, field, "number out of range: " + text);
        }
        return text;
    }

    /** YAML 1.1 integers, as PyYAML (and so Ansible) reads them: 0644 is octal, 0b binary, 0x hex, 1:30 base 60. */
    private static long yaml11Integer(String digits) {
        boolean negative = digits.startsWith("-");
        String unsigned = digits.startsWith("-") || digits.startsWith("+") ? digits.substring(1) : digits;
        long value;
        if (unsigned.startsWith("0b")) {
            value = Long.parseLong(unsigned.substring(2), 2);
        } else if (unsigned.startsWith("0x")) {
            value = Long.parseLong(unsigned.substring(2), 16);
        } else if (unsigned.contains(":")) {
            value = 0;
            for (String part : unsigned.split(":")) {
                value = Math.addExact(Math.multiplyExact(value, 60), Long.parseLong(part));
            }
        } else if (unsigned.length() > 1 && unsigned.startsWith("0")) {
            value = Long.parseLong(unsigned.substring(1), 8);
        } else {
            value = Long.parseLong(unsigned);
        }
        return negative ? -value : value;
    }

    /** True when the scalar was written in quotes (so "0600" stays text while 0600 is a number). */
    public boolean isQuoted(Node node) {
        return node instanceof ScalarNode scalar && scalar.getScalarStyle() != org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN;
    }

    public String describe(Node node) {
        if (node == null || isNull(node)) {
            return "nothing";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        Tag tag = node.getTag();
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "the number " + ((ScalarNode) node).getValue();
        }
        if (tag.equals(Tag.BOOL)) {
            return "the boolean " + ((ScalarNode) node).getValue();
        }
        return "text";
    }
}
