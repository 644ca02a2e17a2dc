package io.vaultcfg.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible host ranges: {@code vault-[01:50]}, {@code db-[a:f]}, {@code web[1:10:2]}, several per name. */
final class HostRange {
    private static final Pattern RANGE = Pattern.compile("\\[([0-9a-zA-Z]+):([0-9a-zA-Z]+)(?::(\\d+))?]");

    private HostRange() {
    }

    static boolean isRange(String name) {
        return RANGE.matcher(name).find();
    }

    /** Expands every range; throws IllegalArgumentException with a readable reason for a bad one. */
    static List<String> expand(String name) {
        Matcher matcher = RANGE.matcher(name);
        if (!matcher.find()) {
            return List.of(name);
        }
        String prefix = name.substring(0, matcher.start());
        String suffix = name.substring(matcher.end());
        String from = matcher.group(1);
        String to = matcher.group(2);
        int step = matcher.group(3) == null ? 1 : Integer.parseInt(matcher.group(3));
        if (step < 1) {
            throw new IllegalArgumentException("range step must be positive");
        }
        List<String> items = new ArrayList<>();
        if (from.matches("\\d+") && to.matches("\\d+")) {
            int start = Integer.parseInt(from);
            int end = Integer.parseInt(to);
            if (end < start) {
                throw new IllegalArgumentException("range [" + from + ":" + to + "] runs backwards");
            }
            boolean padded = from.length() > 1 && from.startsWith("0");
            for (int i = start; i <= end; i += step) {
                items.add(padded ? String.format("%0" + from.length() + "d", i) : String.valueOf(i));
            }
        } else if (from.length() == 1 && to.length() == 1 && Character.isLetter(from.charAt(0)) && Character.isLetter(to.charAt(0))) {
            if (to.charAt(0) < from.charAt(0)) {
                throw new IllegalArgumentException("range [" + from + ":" + to + "] runs backwards");
            }
            for (char c = from.charAt(0); c <= to.charAt(0); c += (char) step) {
                items.add(String.valueOf(c));
            }
        } else {
            throw new IllegalArgumentException("range [" + from + ":" + to + "] must be numbers or single letters");
        }
        List<String> names = new ArrayList<>();
        for (String item : items) {
            names.addAll(expand(prefix + item + suffix));
        }
        return names;
    }
}
