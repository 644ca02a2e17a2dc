package io.vaultcfg.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Ansible host ranges: {@code vault-[01:50]}, {@code db-[a:f]}, {@code web[1:10:2]}, {@code web[:3]} (from 0), several per name. */
final class HostRange {
    /** Hosts one inventory name may expand to, all its ranges multiplied. */
    static final int MAX_HOSTS = 100_000;
    private static final Pattern RANGE = Pattern.compile("\\[([0-9a-zA-Z]*):([0-9a-zA-Z]+)(?::(\\d+))?]");
    private static final int MAX_DIGITS = 18; // any such number and a step fit a long without overflow

    private HostRange() {
    }

    static boolean isRange(String name) {
        return RANGE.matcher(name).find();
    }

    /** Expands every range; throws IllegalArgumentException with a readable reason for a bad one. */
    static List<String> expand(String name) {
        List<String> names = List.of("");
        Matcher matcher = RANGE.matcher(name);
        int textStart = 0;
        while (matcher.find()) {
            String from = matcher.group(1).isEmpty() ? "0" : matcher.group(1); // Ansible: [:3] starts at 0
            List<String> items = items(from, matcher.group(2), matcher.group(3));
            if ((long) names.size() * items.size() > MAX_HOSTS) {
                throw new IllegalArgumentException("the ranges in '" + name + "' give more than " + limit()
                        + " hosts together (at most " + limit() + " per host name)");
            }
            String text = name.substring(textStart, matcher.start());
            List<String> longer = new ArrayList<>(names.size() * items.size());
            for (String head : names) {
                for (String item : items) {
                    longer.add(head + text + item);
                }
            }
            names = longer;
            textStart = matcher.end();
        }
        String tail = name.substring(textStart);
        return names.stream().map(head -> head + tail).toList();
    }

    private static List<String> items(String from, String to, String stepText) {
        String range = "[" + from + ":" + to + (stepText == null ? "" : ":" + stepText) + "]";
        long step = stepText == null ? 1 : number(stepText, range);
        if (step < 1) {
            throw new IllegalArgumentException("range step must be positive in " + range);
        }
        boolean numeric = from.matches("\\d+") && to.matches("\\d+");
        boolean letters = from.matches("[a-zA-Z]") && to.matches("[a-zA-Z]");
        if (!numeric && !letters) {
            throw new IllegalArgumentException("range [" + from + ":" + to + "] must be numbers or single letters");
        }
        long start = numeric ? number(from, range) : from.charAt(0);
        long end = numeric ? number(to, range) : to.charAt(0);
        if (end < start) {
            throw new IllegalArgumentException("range [" + from + ":" + to + "] runs backwards");
        }
        long count = (end - start) / step + 1;
        if (count > MAX_HOSTS) {
            throw new IllegalArgumentException("range " + range + " gives " + String.format(Locale.ROOT, "%,d", count)
                    + " hosts; at most " + limit() + " per host name");
        }
        boolean padded = numeric && from.length() > 1 && from.startsWith("0");
        List<String> items = new ArrayList<>((int) count);
        for (long i = start; i <= end; i += step) {
            items.add(!numeric ? String.valueOf((char) i) : padded ? String.format("%0" + from.length() + "d", i) : String.valueOf(i));
        }
        return items;
    }

    private static long number(String digits, String range) {
        if (digits.length() > MAX_DIGITS) {
            throw new IllegalArgumentException("number " + digits + " in range " + range + " is too large");
        }
        return Long.parseLong(digits);
    }

    private static String limit() {
        return String.format(Locale.ROOT, "%,d", MAX_HOSTS);
    }
}
