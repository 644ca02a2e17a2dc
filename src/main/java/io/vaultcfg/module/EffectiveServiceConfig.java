package io.vaultcfg.module;

import io.vaultcfg.module.ServiceConfigRead.FileRead;
import io.vaultcfg.module.UnitFile.Assignment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a systemd service loads, computed as systemd computes it from what {@link ServiceConfigFact} read: the
 * unit file, then its drop-ins ordered by file name (of two with the same name, the one in the directory that
 * comes first in systemd's search path), {@code ExecStart=}, {@code EnvironmentFile=} and {@code Environment=}
 * lists where an empty assignment resets the list; then the files its {@code -config} flags name (a directory:
 * its {@code .hcl} and {@code .json} files, by name), the env files, and every {@code seal} stanza of those files.
 *
 * @param found      systemd knows the unit
 * @param unitFiles  the unit file and drop-ins, in the order systemd applies them
 * @param execStart  the command the service runs; empty when it has none or it cannot be split
 * @param configs    the configuration files the server loads, in order, with their content
 * @param envFiles   the env files it loads, in order (a missing optional one left out)
 * @param envFileNames every path its {@code EnvironmentFile=} lines name, present or not
 * @param seals      every seal stanza of those files
 * @param unreadable what of it could not be read or understood: where and why, never a content
 */
record EffectiveServiceConfig(boolean found, List<String> unitFiles, Optional<ExecStartLine> execStart,
                              Map<String, FileRead> configs, Map<String, FileRead> envFiles, List<String> envFileNames,
                              List<Assignment> environment,
                              List<SealStanzas.Seal> seals, List<String> unreadable) {

    /** systemd's unit search path, most important first; other directories count after these. */
    private static final List<String> SEARCH_PATH = List.of("/etc/systemd/system.control", "/run/systemd/system.control",
            "/run/systemd/transient", "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached",
            "/run/systemd/system", "/run/systemd/system.attached", "/run/systemd/generator", "/usr/local/lib/systemd/system",
            "/usr/lib/systemd/system", "/lib/systemd/system", "/run/systemd/generator.late");

    /**
     * @param unitDir        where the playbook puts the unit's drop-ins
     * @param plannedEnvFile vaultcfg's own env file, and {@code plannedSealFile} its stanza file: missing, they are
     *                       no gap in what is known (vaultcfg writes them)
     */
    static EffectiveServiceConfig of(ServiceConfigRead read, String unitDir, String plannedEnvFile, String plannedSealFile) {
        List<String> unreadable = new ArrayList<>(read.problems());
        if (!read.unitFound()) {
            return new EffectiveServiceConfig(false, List.of(), Optional.empty(), Map.of(), Map.of(), List.of(), List.of(),
                    List.of(), List.copyOf(unreadable));
        }
        String fragment = read.unitProperties().get("FragmentPath");
        List<String> order = new ArrayList<>();
        order.add(fragment);
        order.addAll(dropIns(read, fragment, unitDir));
        List<Assignment> service = new ArrayList<>();
        for (String path : order) {
            FileRead file = read.units().get(path);
            if (file == null || file.text().isEmpty()) {
                unreadable.add(path + (file == null ? " was not read" : " " + file.unreadable().orElse("was not read")));
                continue;
            }
            UnitFile.assignments(path, file.text().get()).stream().filter(a -> a.section().equals("Service")).forEach(service::add);
        }
        List<Assignment> execStart = list(service, "ExecStart");
        Optional<ExecStartLine> command = Optional.empty();
        if (execStart.size() > 1) {
            unreadable.add(execStart.get(1).place() + ": a second ExecStart= line (Vault runs one command)");
        } else if (execStart.size() == 1) {
            command = ExecStartLine.parse(execStart.get(0).value());
            if (command.isEmpty()) {
                unreadable.add(execStart.get(0).place() + ": ExecStart= cannot be split into words");
            }
        }
        Map<String, FileRead> configs = new LinkedHashMap<>();
        command.ifPresent(line -> line.configPaths().stream().filter(path -> !path.equals(plannedSealFile) || exists(read, path))
                .forEach(path -> configFiles(read, path, execStart.get(0), configs, unreadable)));
        Map<String, FileRead> envFiles = new LinkedHashMap<>();
        List<String> envFileNames = new ArrayList<>();
        for (Assignment line : list(service, "EnvironmentFile")) {
            boolean optional = line.value().startsWith("-");
            String path = optional ? line.value().substring(1) : line.value();
            envFileNames.add(path);
            FileRead file = read.configs().get(path);
            if (file == null || !file.state().exists()) {
                if (!optional && !path.equals(plannedEnvFile)) {
                    unreadable.add(line.place() + ": " + path + " is missing (the service cannot start)");
                }
            } else if (file.text().isEmpty()) {
                unreadable.add(path + " " + file.unreadable().orElse("was not read"));
            } else {
                envFiles.put(path, file);
            }
        }
        List<SealStanzas.Seal> seals = new ArrayList<>();
        configs.forEach((path, file) -> file.text().ifPresent(text -> {
            try {
                seals.addAll(SealStanzas.in(path, text));
            } catch (SealStanzas.NotUnderstood e) {
                unreadable.add(e.getMessage());
            }
        }));
        return new EffectiveServiceConfig(true, List.copyOf(order), command, Map.copyOf(configs), envFiles,
                List.copyOf(envFileNames), list(service, "Environment"), List.copyOf(seals), List.copyOf(unreadable));
    }

    private static boolean exists(ServiceConfigRead read, String path) {
        return read.directories().containsKey(path) || read.configs().containsKey(path) && read.configs().get(path).state().exists();
    }

    /** Drop-ins by file name; of two with one name, the one earlier in systemd's search path (or the playbook's dir). */
    private static List<String> dropIns(ServiceConfigRead read, String fragment, String unitDir) {
        Map<String, String> byName = new LinkedHashMap<>();
        read.units().keySet().stream().filter(path -> !path.equals(fragment) && path.endsWith(".conf"))
                .sorted(Comparator.comparingInt((String path) -> rank(path, unitDir)))
                .forEach(path -> byName.putIfAbsent(path.substring(path.lastIndexOf('/') + 1), path));
        return byName.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    }

    private static int rank(String dropIn, String unitDir) {
        String unitDirectory = dropIn.substring(0, Math.max(0, dropIn.lastIndexOf('/')));
        String base = unitDirectory.substring(0, Math.max(0, unitDirectory.lastIndexOf('/')));
        int index = SEARCH_PATH.indexOf(base);
        return index >= 0 ? index : base.equals(unitDir) ? SEARCH_PATH.indexOf("/etc/systemd/system") : SEARCH_PATH.size();
    }

    /** The assignments of a list setting that count: those after its last empty assignment. */
    private static List<Assignment> list(List<Assignment> service, String key) {
        List<Assignment> values = new ArrayList<>();
        for (Assignment assignment : service) {
            if (assignment.key().equals(key)) {
                if (assignment.value().isEmpty()) {
                    values.clear();
                } else {
                    values.add(assignment);
                }
            }
        }
        return values;
    }

    private static void configFiles(ServiceConfigRead read, String path, Assignment line, Map<String, FileRead> configs,
                                    List<String> unreadable) {
        if (path.contains("$") || path.contains("%") || !path.startsWith("/")) {
            unreadable.add(line.place() + ": -config=" + path + " is not a plain absolute path vaultcfg can follow");
            return;
        }
        Integer count = read.directories().get(path);
        if (count != null) {
            if (count > ServiceConfigFact.MAX_DIRECTORY_FILES) {
                unreadable.add(path + " holds " + count + " configuration files, more than vaultcfg reads ("
                        + ServiceConfigFact.MAX_DIRECTORY_FILES + ")");
            }
            String prefix = path.endsWith("/") ? path : path + "/";
            read.configs().entrySet().stream()
                    .filter(e -> e.getKey().startsWith(prefix) && e.getKey().indexOf('/', prefix.length()) < 0)
                    .filter(e -> e.getKey().endsWith(".hcl") || e.getKey().endsWith(".json"))
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> addConfig(e.getKey(), e.getValue(), configs, unreadable));
            return;
        }
        FileRead file = read.configs().get(path);
        if (file == null || !file.state().exists()) {
            unreadable.add(line.place() + ": " + path + " is missing");
            return;
        }
        addConfig(path, file, configs, unreadable);
    }

    private static void addConfig(String path, FileRead file, Map<String, FileRead> configs, List<String> unreadable) {
        if (file.text().isEmpty()) {
            unreadable.add(path + " " + file.unreadable().orElse("was not read"));
        } else {
            configs.put(path, file);
        }
    }

    /**
     * The variables the service gets from its env files (a later file wins) and {@code Environment=} lines (which
     * the files override), each with the file that sets it.
     */
    Map<String, Sourced> variables() {
        Map<String, Sourced> variables = new LinkedHashMap<>();
        for (Assignment line : environment) {
            ExecStartLine.parse(line.value()).ifPresent(words -> words.argv().forEach(word -> {
                int equals = word.indexOf('=');
                if (equals > 0) {
                    variables.put(word.substring(0, equals), new Sourced(word.substring(equals + 1), line.file()));
                }
            }));
        }
        envFiles.forEach((path, file) -> EnvFile.variables(file.text().orElse(""))
                .forEach((name, value) -> variables.put(name, new Sourced(value, path))));
        return variables;
    }

    /** A variable's value and the file that sets it. */
    record Sourced(String value, String file) {
        @Override
        public String toString() {
            return "set in " + file; // never the value
        }
    }

    /** Whether {@code path} is among the configuration files the server loads. */
    boolean loadsConfig(String path) {
        return configs.containsKey(path);
    }

    /** Whether the unit's {@code EnvironmentFile=} lines name {@code path} (optional or not, present or not). */
    boolean namesEnvFile(String path) {
        return envFileNames.contains(path);
    }

    /**
     * Whether a {@code storage "raft"} stanza of what the server loads names peers to join ({@code retry_join}); empty
     * when that cannot be told (the unit unknown, a file unread or not understood).
     */
    Optional<Boolean> namesRaftPeers() {
        if (!found || !unreadable.isEmpty()) {
            return Optional.empty();
        }
        for (Map.Entry<String, FileRead> config : configs.entrySet()) {
            Optional<String> text = config.getValue().text();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            try {
                if (SealStanzas.storages(config.getKey(), text.get()).stream()
                        .anyMatch(storage -> storage.type().equals("raft") && storage.nested().contains("retry_join"))) {
                    return Optional.of(true);
                }
            } catch (SealStanzas.NotUnderstood e) {
                return Optional.empty();
            }
        }
        return Optional.of(false);
    }
}
