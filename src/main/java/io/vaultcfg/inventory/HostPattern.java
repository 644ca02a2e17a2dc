package io.vaultcfg.inventory;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ansible host patterns, evaluated as Ansible's InventoryManager does: split on {@code ,} (or, without
 * a comma, on {@code :} and whitespace outside brackets unless the whole is one address); positive
 * terms first, then {@code &} terms, then {@code !} terms, with {@code all} as the base when there is
 * no positive term. A term is a host name, {@code all}, a shell glob ({@code vault-*}, {@code db[12]})
 * or {@code ~regex} matched with Python's {@code re.match} (at the start of the name). A matching
 * group brings all its hosts. Subscripts ({@code web[0:2]}) are refused.
 */
final class HostPattern {
    private static final Pattern COLON_TERMS = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");
    private static final Pattern SUBSCRIPT = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\\]$");

    private HostPattern() {
    }

    static List<Host> select(String pattern, Inventory inventory) {
        Set<String> selected = new LinkedHashSet<>();
        for (String term : ordered(split(pattern))) {
            if (inventory.hasHost(term)) {
                selected.add(term);
                continue;
            }
            Set<String> matched = match(term.startsWith("&") || term.startsWith("!") ? term.substring(1) : term, inventory);
            if (term.startsWith("!")) {
                selected.removeAll(matched);
            } else if (term.startsWith("&")) {
                selected.retainAll(matched);
            } else {
                selected.addAll(matched);
            }
        }
        return inventory.hosts().stream().filter(host -> selected.contains(host.name())).toList();
    }

    static List<String> split(String pattern) {
        List<String> terms = new ArrayList<>();
        if (pattern.contains(",")) {
            terms.addAll(List.of(pattern.split(",", -1)));
        } else if (AnsibleAddress.isAddress(pattern)) {
            terms.add(pattern);
        } else {
            Matcher matcher = COLON_TERMS.matcher(pattern);
            while (matcher.find()) {
                terms.add(matcher.group());
            }
        }
        return terms.stream().map(String::strip).filter(t -> !t.isEmpty()).toList();
    }

    private static List<String> ordered(List<String> terms) {
        List<String> positive = new ArrayList<>();
        List<String> intersect = new ArrayList<>();
        List<String> exclude = new ArrayList<>();
        for (String term : terms) {
            (term.startsWith("!") ? exclude : term.startsWith("&") ? intersect : positive).add(term);
        }
        if (positive.isEmpty()) {
            positive.add("all");
        }
        List<String> all = new ArrayList<>(positive);
        all.addAll(intersect);
        all.addAll(exclude);
        return all;
    }

    private static Set<String> match(String term, Inventory inventory) {
        if (!term.startsWith("~") && SUBSCRIPT.matcher(term).matches()) {
            throw new IllegalArgumentException("pattern subscripts such as '" + term + "' are not supported "
                    + "(Ansible's order within a group is not stable); name the hosts or use a glob");
        }
        NameMatcher matcher = term.startsWith("~") ? PythonRegex.compile(term.substring(1))::matchesStartOf : glob(term);
        Set<String> hosts = new LinkedHashSet<>();
        boolean groupMatched = false;
        for (var group : inventory.groups().entrySet()) {
            if (matcher.matches(group.getKey())) {
                groupMatched = true;
                hosts.addAll(group.getValue());
            }
        }
        boolean special = term.startsWith("~") || term.chars().anyMatch(c -> ".?*[".indexOf(c) >= 0);
        if (!groupMatched || special) {
            for (Host host : inventory.hosts()) {
                if (matcher.matches(host.name())) {
                    hosts.add(host.name());
                }
            }
        }
        return hosts;
    }

    @FunctionalInterface
    private interface NameMatcher {
        boolean matches(String name);
    }

    /** Python's fnmatch: {@code *}, {@code ?}, {@code [seq]}, {@code [!seq]}; the whole name must match. */
    static NameMatcher glob(String glob) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i++);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[') {
                int j = i;
                if (j < glob.length() && glob.charAt(j) == '!') {
                    j++;
                }
                if (j < glob.length() && glob.charAt(j) == ']') {
                    j++;
                }
                while (j < glob.length() && glob.charAt(j) != ']') {
                    j++;
                }
                if (j >= glob.length()) {
                    regex.append("\\[");
                } else {
                    regex.append(charClass(glob.substring(i, j)));
                    i = j + 1;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        Pattern compiled;
        try {
            compiled = Pattern.compile(regex.toString(), Pattern.DOTALL);
        } catch (java.util.regex.PatternSyntaxException e) {
            throw new IllegalArgumentException("bad host pattern '" + glob + "': " + e.getDescription());
        }
        return name -> compiled.matcher(name).matches();
    }

    private static String charClass(String body) {
        StringBuilder out = new StringBuilder("[");
        int start = 0;
        if (body.startsWith("!")) {
            out.append('^');
            start = 1;
        }
        for (int k = start; k < body.length(); k++) {
            char c = body.charAt(k);
            boolean range = c == '-' && k > start && k < body.length() - 1;
            out.append(range ? "-" : Character.isLetterOrDigit(c) ? String.valueOf(c) : "\\" + c);
        }
        return out.append(']').toString();
    }
}
