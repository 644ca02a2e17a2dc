package io.vaultcfg.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Checks a composed YAML tree once, before anything reads it, so readers may walk it freely:
 * no alias sits inside its own anchor, aliases add at most {@link #ALIAS_NODE_BUDGET} nodes when
 * expanded (a few hundred bytes of nested aliases would otherwise expand to billions), and every
 * tag is one of YAML's core schema (merge keys, {@code <<}, are applied afterwards by
 * {@link YamlMergeKeys}). Visits each written node once; an alias costs the memoized size of what
 * it points to.
 */
final class YamlTreeCheck {
    static final int ALIAS_NODE_BUDGET = 100_000;
    private static final Set<Tag> SCALAR_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL, Tag.NULL);

    private final Path file;
    private final Resolver resolver;
    private final Map<Node, Long> expandedSize = new IdentityHashMap<>();
    private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
    private long addedByAliases;

    private YamlTreeCheck(Path file, Resolver resolver) {
        this.file = file;
        this.resolver = resolver;
    }

    /** {@code resolver} must be the one the tree was composed with, so implicit tags match it. */
    static void check(Path file, Node root, Resolver resolver) {
        if (root != null) {
            new YamlTreeCheck(file, resolver).visit(root, null, root);
        }
    }

    /** Returns the node's size with every alias expanded; {@code usedAt} gives the line to blame. */
    private long visit(Node node, String field, Node usedAt) {
        if (onPath.contains(node)) {
            throw error(usedAt, field, "alias " + anchor(node) + "is used inside its own anchor; "
                    + "a recursive structure cannot be expanded");
        }
        Long known = expandedSize.get(node);
        if (known != null) {
            addedByAliases += known;
            if (addedByAliases > ALIAS_NODE_BUDGET) {
                throw error(usedAt, field, "YAML aliases expand to more than " + String.format(Locale.ROOT, "%,d", ALIAS_NODE_BUDGET)
                        + " values; write the repeated parts out or use fewer aliases");
            }
            return known;
        }
        checkTag(node, field);
        onPath.add(node);
        long size = 1;
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                Node key = tuple.getKeyNode();
                size += key.getTag().equals(Tag.MERGE) ? 1 : visit(key, field, key); // << is applied by YamlMergeKeys
                String valueField = key instanceof ScalarNode scalar ? scalar.getValue() : field;
                size += visit(tuple.getValueNode(), valueField, key);
            }
        } else if (node instanceof SequenceNode sequence) {
            for (Node item : sequence.getValue()) {
                size += visit(item, field, sequence);
            }
        }
        onPath.remove(node);
        expandedSize.put(node, size);
        return size;
    }

    private void checkTag(Node node, String field) {
        Tag tag = node.getTag();
        if (tag.equals(Tag.MERGE)) {
            throw error(node, field, "a merge key (<<) can only be the key of a mapping entry; quote it for the text '<<'");
        }
        boolean allowed = switch (node.getNodeId()) {
            case mapping -> tag.equals(Tag.MAP);
            case sequence -> tag.equals(Tag.SEQ);
            default -> SCALAR_TAGS.contains(tag);
        };
        if (!allowed) {
            throw error(node, field, tag.getValue().equals("!vault")
                    ? "Ansible Vault encrypted values are not supported; pass the value through the environment "
                            + "(VAULTCFG_VAR_<name>) or stdin instead"
                    : "YAML tag " + shortName(tag) + " is not supported here; only text, numbers, booleans, null, "
                            + "lists and mappings are read (tags !!str, !!int, !!float, !!bool, !!null, !!seq, !!map)");
        }
        if (node instanceof ScalarNode scalar && !fitsTag(scalar)) {
            throw error(node, field, "the value does not fit its tag " + shortName(tag));
        }
    }

    /** An explicit !!int, !!float, !!bool or !!null must hold what that type looks like untagged. */
    private boolean fitsTag(ScalarNode scalar) {
        Tag tag = scalar.getTag();
        if (tag.equals(Tag.STR)) {
            return true;
        }
        Tag untagged = resolver.resolve(NodeId.scalar, scalar.getValue(), true);
        return untagged.equals(tag) || tag.equals(Tag.FLOAT) && untagged.equals(Tag.INT);
    }

    private static String shortName(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
    }

    private static String anchor(Node node) {
        return node.getAnchor() == null ? "" : "*" + node.getAnchor() + " ";
    }

    private ConfigException error(Node node, String field, String message) {
        return new ConfigException(file, node.getStartMark().getLine() + 1, field, message);
    }
}
