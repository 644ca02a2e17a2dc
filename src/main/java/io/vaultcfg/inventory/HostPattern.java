package io.vaultcfg.inventory;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible host patterns: {@code all}, {@code *}, host and group names, globs ({@code vault-*}),
 * {@code ~regex}, unions ({@code a:b}, {@code a,b}), intersections ({@code a:&b}) and exclusions
 * ({@code a:!b}).
 */
final class HostPattern {
    private HostPattern() {
    }

    static List<Host> select(String pattern, Inventory inventory) {
        Set<String> union = new LinkedHashSet<>();
        Set<String> intersect = null;
        Set<String> exclude = new LinkedHashSet<>();
        for (String term : terms(pattern)) {
            if (term.startsWith("&")) {
                Set<String> matched = match(term.substring(1), inventory);
                if (intersect == null) {
                    intersect = matched;
                } else {
                    intersect.retainAll(matched);
                }
            } else if (term.startsWith("!")) {
                exclude.addAll(match(term.substring(1), inventory));
            } else {
                union.addAll(match(term, inventory));
            }
        }
        Set<String> result = union;
        if (intersect != null) {
            result.retainAll(intersect);
        }
        result.removeAll(exclude);
        return inventory.hosts().stream().filter(host -> result.contains(host.name())).toList();
    }

    private static List<String> terms(String pattern) {
        String trimmed = pattern.trim();
        if (trimmed.startsWith("~")) {
            return List.of(trimmed);
        }
        return List.of(trimmed.split("[:,]")).stream().map(String::trim).filter(t -> !t.isEmpty()).toList();
    }

    private static Set<String> match(String term, Inventory inventory) {
        Set<String> hosts = new LinkedHashSet<>();
        if (term.equals("all") || term.equals("*")) {
            inventory.hosts().forEach(host -> hosts.add(host.name()));
            return hosts;
        }
        Pattern regex = compile(term);
        inventory.groups().forEach((group, members) -> {
            if (group.equals(term) || regex.matcher(group).matches()) {
                hosts.addAll(members);
            }
        });
        inventory.hosts().stream().map(Host::name).filter(name -> name.equals(term) || regex.matcher(name).matches())
                .forEach(hosts::add);
        return hosts;
    }

    private static Pattern compile(String term) {
        if (term.startsWith("~")) {
            try {
                return Pattern.compile(term.substring(1));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regular expression in host pattern: " + e.getDescription());
            }
        }
        StringBuilder glob = new StringBuilder();
        for (char c : term.toCharArray()) {
            switch (c) {
                case '*' -> glob.append(".*");
                case '?' -> glob.append('.');
                default -> glob.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(glob.toString());
    }
}
