package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.config.YamlDocument;
import io.vaultcfg.inventory.InventoryLoader.Located;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code group_vars/} and {@code host_vars/} beside an inventory or a playbook, found as Ansible's
 * {@code host_group_vars} plugin finds them: for a name, the first of {@code NAME}, {@code NAME.yml},
 * {@code NAME.yaml}, {@code NAME.json} that exists; a directory contributes its files (no extension or
 * one of those three; hidden files and {@code ~} backups skipped) in sorted order, recursing into
 * sub-directories without an extension. A later file's variable replaces an earlier one's.
 */
final class VarsDirectory {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");
    private static final int MAX_DEPTH = 8;
    private static final int MAX_FILES = 1_000;

    private final Path groupVars;
    private final Path hostVars;
    private final Map<String, Map<String, Located>> cache = new HashMap<>();

    private VarsDirectory(Path base) {
        this.groupVars = base.resolve("group_vars");
        this.hostVars = base.resolve("host_vars");
    }

    /** The vars beside {@code base} (a directory), or null when it has neither group_vars/ nor host_vars/. */
    static VarsDirectory beside(Path base) {
        VarsDirectory vars = new VarsDirectory(base);
        return Files.isDirectory(vars.groupVars) || Files.isDirectory(vars.hostVars) ? vars : null;
    }

    Map<String, Located> group(String name) {
        return cache.computeIfAbsent("g:" + name, key -> read(groupVars, name));
    }

    Map<String, Located> host(String name) {
        return cache.computeIfAbsent("h:" + name, key -> read(hostVars, name));
    }

    private static Map<String, Located> read(Path dir, String name) {
        Map<String, Located> vars = new LinkedHashMap<>();
        if (name.startsWith("/") || !Files.isDirectory(dir)) { // Ansible skips names that are absolute paths
            return vars;
        }
        for (Path file : find(dir, name)) {
            readFile(file, vars);
        }
        return vars;
    }

    private static List<Path> find(Path dir, String name) {
        for (String extension : EXTENSIONS) {
            Path candidate = dir.resolve(name + extension);
            if (Files.isDirectory(candidate)) {
                List<Path> found = new ArrayList<>();
                collect(candidate, 0, found);
                return found;
            }
            if (Files.exists(candidate)) {
                return List.of(candidate);
            }
        }
        return List.of();
    }

    private static void collect(Path dir, int depth, List<Path> found) {
        if (depth > MAX_DEPTH) {
            throw new ConfigException(dir, 0, null, "vars directories nest more than " + MAX_DEPTH + " levels deep");
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.sorted().toList();
        } catch (IOException e) {
            throw new ConfigException(dir, 0, null, "cannot list vars directory: " + e.getMessage());
        }
        for (Path entry : entries) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".") || fileName.endsWith("~")) {
                continue;
            }
            String extension = extension(fileName);
            if (Files.isDirectory(entry) && extension.isEmpty()) {
                collect(entry, depth + 1, found);
            } else if (Files.isRegularFile(entry) && EXTENSIONS.contains(extension)) {
                found.add(entry);
                if (found.size() > MAX_FILES) {
                    throw new ConfigException(dir, 0, null, "more than " + MAX_FILES + " vars files for one group or host");
                }
            }
        }
    }

    /** Python's os.path.splitext: a leading dot does not start an extension. */
    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot <= 0 ? "" : fileName.substring(dot);
    }

    private static void readFile(Path file, Map<String, Located> into) {
        refuseVaultEncrypted(file);
        YamlDocument doc = YamlDocument.load(file, "vars");
        if (doc.isNull(doc.root())) {
            return; // an empty file adds nothing, as in Ansible
        }
        InventoryLoader.readVars(doc, doc.root(), into, null);
    }

    private static void refuseVaultEncrypted(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(14), StandardCharsets.US_ASCII);
            if (head.equals("$ANSIBLE_VAULT")) {
                throw new ConfigException(file, 1, null, "Ansible Vault encrypted files are not supported; pass secret "
                        + "values through the environment (VAULTCFG_VAR_<name>) or --vars-stdin");
            }
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, "cannot read vars file: " + e.getMessage());
        }
    }
}
