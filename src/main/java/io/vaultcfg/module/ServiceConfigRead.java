package io.vaultcfg.module;

import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.FileType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link ServiceConfigFact} read from a host: systemd's answer about the unit, the unit files, the files
 * they name, the directories listed, and why any of it could not be read. A file is kept only when it is the
 * regular, single-linked file that was stat'ed before and after its read, at most 1 MiB, and whose bytes all arrived (a
 * unit's pass through a shell variable, which drops a NUL byte); its content stays in
 * memory (an env file holds a secret) and no message quotes it.
 *
 * @param unitProperties {@code FragmentPath}, {@code DropInPaths}, {@code NeedDaemonReload} as systemctl showed them
 * @param units          unit file and drop-ins found, by path
 * @param configs        configuration and environment files found, by path
 * @param directories    each {@code -config} directory listed, with how many configuration files it holds
 * @param problems       what the host could not list (e.g. a file name with a line break)
 */
record ServiceConfigRead(Map<String, String> unitProperties, Map<String, FileRead> units, Map<String, FileRead> configs,
                         Map<String, Integer> directories, List<String> problems) {

    /** A path as found: its state (content when it was read) or why its content was not read. */
    record FileRead(FileState state, Optional<String> unreadable) {
        Optional<String> text() {
            return unreadable.isPresent() ? Optional.empty() : state.content().map(b -> new String(b, StandardCharsets.UTF_8));
        }
    }

    static final ServiceConfigRead NOTHING = new ServiceConfigRead(Map.of(), Map.of(), Map.of(), Map.of(),
            List.of("the service's configuration was not read"));

    static ServiceConfigRead parse(String output, int maxContent) {
        Map<String, String> properties = new LinkedHashMap<>();
        Map<String, Integer> directories = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<String> units = new ArrayList<>();
        List<String> configs = new ArrayList<>();
        List<String> section = null;
        for (String line : output.split("\n")) {
            if (line.equals("=units")) {
                section = units;
            } else if (line.equals("=configs")) {
                section = configs;
            } else if (line.startsWith("U|") && line.indexOf('=') > 2) {
                properties.put(line.substring(2, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            } else if (line.startsWith("P|")) {
                problems.add(line.substring(2));
            } else if (line.startsWith("D|")) {
                String[] field = line.split("\\|", 3);
                if (field.length == 3 && field[1].matches("\\d{1,9}")) {
                    directories.put(field[2], Integer.parseInt(field[1]));
                }
            } else if (section != null && (line.startsWith("S|") || line.startsWith("B|") || line.startsWith("A|"))) {
                section.add(line);
            }
        }
        if (!output.contains("=configs")) {
            problems.add("the read of the service's configuration stopped before its end");
        }
        int split = separatorIndex(configs);
        List<String> unitsAfter = split < 0 ? List.of() : configs.subList(0, split);
        List<String> configsRead = configs.subList(split + 1, configs.size());
        return new ServiceConfigRead(Map.copyOf(properties),
                files(stats(units), encoded(units), unchangedByPath(stats(unitsAfter)), Framing.EACH_FOLLOWED_BY_LINE_BREAK, maxContent),
                files(stats(configsRead), encoded(configsRead), afterStats(configsRead), Framing.CONCATENATED, maxContent),
                Map.copyOf(directories), List.copyOf(problems));
    }

    /** The path one {@code stat} call gives between the units' second stat and the configs' first: never a unit file. */
    private static final String SEPARATOR = "/";

    private static int separatorIndex(List<String> configs) {
        for (int i = 0; i < configs.size(); i++) {
            Optional<Stat> stat = stat(configs.get(i));
            if (stat.isPresent() && stat.get().path().equals(SEPARATOR)) {
                return i;
            }
        }
        return -1;
    }

    private record Stat(String path, long size, String rawMode, String owner, String group, String identity) {
        FileType type() {
            return FileType.ofRawMode(Integer.parseInt(rawMode, 16));
        }

        FileState state(Optional<byte[]> content) {
            return new FileState(type(), FileMode.ofRawMode(Integer.parseInt(rawMode, 16)), owner, group, content);
        }

        /** What a second stat must show for the read to count: "device:inode:links:mtime|size|raw mode". */
        String unchanged() {
            return identity + "|" + size + "|" + rawMode;
        }
    }

    /**
     * How a section's contents were sent: the configs' as {@code dd}'s output, one after the other; the units' from
     * the shell variable the host also finds their ExecStart lines in, each followed by a line break, and one more at
     * the end. A shell variable cannot hold a NUL byte: a unit that had one no longer fits the sizes stat saw.
     */
    private enum Framing {
        CONCATENATED, EACH_FOLLOWED_BY_LINE_BREAK
    }

    private static Optional<Stat> stat(String line) {
        String[] f = line.split("\\|", 7);
        if (line.startsWith("S|") && f.length == 7 && f[1].matches("\\d{1,12}") && f[2].matches("[0-9a-f]{1,7}")) {
            return Optional.of(new Stat(f[6], Long.parseLong(f[1]), f[2], f[3], f[4], f[5]));
        }
        return Optional.empty();
    }

    private static List<Stat> stats(List<String> lines) {
        return lines.stream().map(ServiceConfigRead::stat).flatMap(Optional::stream).toList();
    }

    /** The decoded {@code B|} line; empty when there is none (nothing read), null when it is not base64. */
    private static byte[] encoded(List<String> lines) {
        for (String line : lines) {
            if (line.startsWith("B|")) {
                try {
                    return Base64.getDecoder().decode(line.substring(2).trim());
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return new byte[0];
    }

    /** What the units' second stat showed, by path: the configs' {@code S|} lines before the separator. */
    private static Map<String, String> unchangedByPath(List<Stat> stats) {
        Map<String, String> after = new LinkedHashMap<>();
        stats.forEach(stat -> after.put(stat.path(), stat.unchanged()));
        return after;
    }

    /** What the configs' second stat showed, by path, from its {@code A|} lines. */
    private static Map<String, String> afterStats(List<String> lines) {
        Map<String, String> after = new LinkedHashMap<>();
        for (String line : lines) {
            String[] f = line.split("\\|", 5);
            if (line.startsWith("A|") && f.length == 5) {
                after.put(f[4], f[1] + "|" + f[2] + "|" + f[3]);
            }
        }
        return after;
    }

    /** The files of one read: their stats before, the contents of the regular ones in order, their stats after. */
    private static Map<String, FileRead> files(List<Stat> before, byte[] encoded, Map<String, String> after, Framing framing,
                                               int maxContent) {
        boolean separated = framing == Framing.EACH_FOLLOWED_BY_LINE_BREAK;
        byte[] all = encoded == null ? new byte[0] : encoded;
        boolean aligned = encoded != null && (!separated || all.length == 0 || all[all.length - 1] == '\n');
        int end = separated && all.length > 0 ? all.length - 1 : all.length;
        Map<String, FileRead> files = new LinkedHashMap<>();
        int offset = 0;
        boolean allUnchanged = true;
        List<String> regular = new ArrayList<>();
        for (Stat stat : before) {
            if (stat.type() != FileType.REGULAR) {
                files.putIfAbsent(stat.path(), new FileRead(stat.state(Optional.empty()),
                        Optional.of(stat.type() == FileType.SYMLINK ? "is a link, which vaultcfg does not follow as root"
                                : "is a " + stat.type().description() + ", not a file")));
                continue;
            }
            regular.add(stat.path());
            boolean unchanged = stat.unchanged().equals(after.get(stat.path()));
            allUnchanged &= unchanged;
            int read = (int) Math.min(stat.size(), maxContent + 1L);
            int framed = read + (separated ? 1 : 0);
            if (!after.containsKey(stat.path()) || offset + framed > end) {
                aligned = false;
                files.put(stat.path(), new FileRead(stat.state(Optional.empty()), Optional.of(CHANGED)));
                continue;
            }
            aligned &= !separated || all[offset + read] == '\n';
            Optional<String> why = Optional.empty();
            if (!unchanged) {
                why = Optional.of(CHANGED);
            } else if (!stat.identity().split(":")[2].equals("1")) {
                why = Optional.of("has several hard links: vaultcfg does not read a file that may be a link to another one");
            } else if (stat.size() > maxContent) {
                why = Optional.of("is larger than " + maxContent / 1024 + " KiB: not a configuration file");
            }
            byte[] content = Arrays.copyOfRange(all, offset, offset + read);
            offset += framed;
            files.put(stat.path(), new FileRead(stat.state(why.isPresent() ? Optional.empty() : Optional.of(content)), why));
        }
        if (!aligned || offset != end) {
            // when every stat matched its second one, the bytes were lost on the way: a NUL byte in a unit
            String why = encoded != null && allUnchanged && separated ? NOT_CARRIED : CHANGED;
            for (String path : regular) {
                FileState state = files.get(path).state();
                files.put(path, new FileRead(new FileState(state.type(), state.mode(), state.owner(), state.group(), Optional.empty()),
                        Optional.of(why)));
            }
        }
        return Map.copyOf(files);
    }

    private static final String CHANGED = "changed while it was read; run again";
    private static final String NOT_CARRIED = "holds a NUL byte, which vaultcfg does not read in a unit file (or changed while it was read)";

    /** The unit was found by systemd (or the stand-in). */
    boolean unitFound() {
        return !unitProperties.getOrDefault("FragmentPath", "").isEmpty();
    }

    /** systemd runs the unit as it was before its files last changed on disk. */
    boolean needsDaemonReload() {
        return "yes".equals(unitProperties.get("NeedDaemonReload"));
    }

    @Override
    public String toString() {
        return "ServiceConfigRead[units=" + units.keySet() + ", configs=" + configs.keySet() + "]"; // never a content
    }
}
