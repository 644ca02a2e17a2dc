package io.vaultcfg.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Applies YAML merge keys ({@code <<: *a}, {@code <<: [*a, *b]}) to a composed tree as PyYAML (and so
 * Ansible) does: the merged mappings' entries come first, then the mapping's own; a key keeps the
 * position of its first appearance and the value of its last, so an explicit key wins over a merged one
 * and, in a list, an earlier mapping wins over a later one. Runs after {@link YamlTreeCheck}, so no
 * alias is recursive and the expansion is within its budget.
 */
final class YamlMergeKeys {
    private final Path file;
    private final Set<Node> flattened = Collections.newSetFromMap(new IdentityHashMap<>());

    private YamlMergeKeys(Path file) {
        this.file = file;
    }

    static void apply(Path file, Node root) {
        if (root != null) {
            new YamlMergeKeys(file).visit(root);
        }
    }

    private void visit(Node node) {
        if (!flattened.add(node)) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            flatten(mapping);
            for (NodeTuple tuple : mapping.getValue()) {
                visit(tuple.getKeyNode());
                visit(tuple.getValueNode());
            }
        } else if (node instanceof SequenceNode sequence) {
            sequence.getValue().forEach(this::visit);
        }
    }

    private void flatten(MappingNode node) {
        List<NodeTuple> merged = new ArrayList<>();
        List<NodeTuple> own = new ArrayList<>();
        for (NodeTuple tuple : node.getValue()) {
            if (!tuple.getKeyNode().getTag().equals(Tag.MERGE)) {
                own.add(tuple);
            } else if (tuple.getValueNode() instanceof MappingNode source) {
                merged.addAll(flattenedEntries(source));
            } else if (tuple.getValueNode() instanceof SequenceNode sources) {
                List<NodeTuple> fromList = new ArrayList<>();
                for (Node source : sources.getValue()) {
                    if (!(source instanceof MappingNode mapping)) {
                        throw error(source, "<<", "a merge key (<<) takes a mapping or a list of mappings, got " + kind(source));
                    }
                    fromList.addAll(0, flattenedEntries(mapping)); // PyYAML reverses the list: the first one wins
                }
                merged.addAll(fromList);
            } else {
                throw error(tuple.getValueNode(), "<<", "a merge key (<<) takes a mapping or a list of mappings, got "
                        + kind(tuple.getValueNode()));
            }
        }
        if (merged.isEmpty() && own.size() == node.getValue().size()) {
            return;
        }
        node.setValue(asDictionary(merged, own));
    }

    private List<NodeTuple> flattenedEntries(MappingNode source) {
        visit(source);
        return source.getValue();
    }

    /** Python dict order: each key where it first appears, with the value written last; own keys are unique. */
    private List<NodeTuple> asDictionary(List<NodeTuple> merged, List<NodeTuple> own) {
        Map<Object, NodeTuple> winners = new LinkedHashMap<>();
        for (NodeTuple tuple : merged) {
            winners.put(identity(tuple.getKeyNode()), tuple);
        }
        Map<Object, NodeTuple> ownKeys = new LinkedHashMap<>();
        for (NodeTuple tuple : own) {
            Object key = identity(tuple.getKeyNode());
            if (ownKeys.put(key, tuple) != null) {
                throw error(tuple.getKeyNode(), ((ScalarNode) tuple.getKeyNode()).getValue(), "duplicate key");
            }
            winners.put(key, tuple); // replaces the merged value, keeps a merged key's position
        }
        return new ArrayList<>(winners.values());
    }

    /** Scalar keys compare by text (and tag); any other key by identity, left for the reader to refuse. */
    private static Object identity(Node key) {
        return key instanceof ScalarNode scalar ? scalar.getTag().getValue() + "\u0000" + scalar.getValue() : key;
    }

    private static String kind(Node node) {
        return node instanceof SequenceNode ? "a list" : "a single value";
    }

    private ConfigException error(Node node, String field, String message) {
        return new ConfigException(file, node.getStartMark().getLine() + 1, field, message);
    }
}
