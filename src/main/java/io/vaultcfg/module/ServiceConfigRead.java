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
 * regular, single-linked file that was stat'ed before and after its read, at most 1 MiB; its content stays in
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
        return new ServiceConfigRead(Map.copyOf(properties), dump(units, maxContent), dump(configs, maxContent),
                Map.copyOf(directories), List.copyOf(problems));
    }

    private record Stat(String path, long size, String rawMode, String owner, String group, String identity) {
        FileType type() {
            return FileType.ofRawMode(Integer.parseInt(rawMode, 16));
        }

        FileState state(Optional<byte[]> content) {
            return new FileState(type(), FileMode.ofRawMode(Integer.parseInt(rawMode, 16)), owner, group, content);
        }
    }

    /** The files of one {@code vc_dump}: stat lines, the base64 of the regular ones' contents in order, stat lines after. */
    private static Map<String, FileRead> dump(List<String> lines, int maxContent) {
        List<Stat> before = new ArrayList<>();
        Map<String, String> after = new LinkedHashMap<>();
        byte[] all = new byte[0];
        boolean encodedOk = true;
        for (String line : lines) {
            if (line.startsWith("S|")) {
                String[] f = line.split("\\|", 7);
                if (f.length == 7 && f[1].matches("\\d{1,12}") && f[2].matches("[0-9a-f]{1,7}")) {
                    before.add(new Stat(f[6], Long.parseLong(f[1]), f[2], f[3], f[4], f[5]));
                }
            } else if (line.startsWith("B|")) {
                try {
                    all = Base64.getDecoder().decode(line.substring(2).trim());
                } catch (IllegalArgumentException e) {
                    encodedOk = false;
                }
            } else if (line.startsWith("A|")) {
                String[] f = line.split("\\|", 5);
                if (f.length == 5) {
                    after.put(f[4], f[1] + "|" + f[2] + "|" + f[3]);
                }
            }
        }
        Map<String, FileRead> files = new LinkedHashMap<>();
        int offset = 0;
        boolean aligned = encodedOk;
        List<String> regular = new ArrayList<>();
        for (Stat stat : before) {
            if (stat.type() != FileType.REGULAR) {
                files.putIfAbsent(stat.path(), new FileRead(stat.state(Optional.empty()),
                        Optional.of(stat.type() == FileType.SYMLINK ? "is a link, which vaultcfg does not follow as root"
                                : "is a " + stat.type().description() + ", not a file")));
                continue;
            }
            regular.add(stat.path());
            int read = (int) Math.min(stat.size(), maxContent + 1L);
            if (!after.containsKey(stat.path()) || offset + read > all.length) {
                aligned = false;
                files.put(stat.path(), new FileRead(stat.state(Optional.empty()), Optional.of("changed while it was read; run again")));
                continue;
            }
            Optional<String> why = Optional.empty();
            if (!after.get(stat.path()).equals(stat.identity() + "|" + stat.size() + "|" + stat.rawMode())) {
                why = Optional.of("changed while it was read; run again");
            } else if (!stat.identity().split(":")[2].equals("1")) {
                why = Optional.of("has several hard links: vaultcfg does not read a file that may be a link to another one");
            } else if (stat.size() > maxContent) {
                why = Optional.of("is larger than " + maxContent / 1024 + " KiB: not a configuration file");
            }
            byte[] content = Arrays.copyOfRange(all, offset, offset + read);
            offset += read;
            files.put(stat.path(), new FileRead(stat.state(why.isPresent() ? Optional.empty() : Optional.of(content)), why));
        }
        if (!aligned || offset != all.length) {
            for (String path : regular) {
                files.put(path, new FileRead(files.get(path).state().content().isPresent()
                        ? new FileState(files.get(path).state().type(), files.get(path).state().mode(), files.get(path).state().owner(),
                                files.get(path).state().group(), Optional.empty())
                        : files.get(path).state(), Optional.of("changed while it was read; run again")));
            }
        }
        return Map.copyOf(files);
    }

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
