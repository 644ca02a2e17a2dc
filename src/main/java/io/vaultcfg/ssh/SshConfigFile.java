package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenSSH client configuration file ({@code ~/.ssh/config}, or {@code -F FILE}) read as OpenSSH reads
 * it: {@code Keyword value} or {@code Keyword=value} lines, quoted arguments, {@code Host} blocks and
 * {@code Include} (globs in the file name, relative paths under {@code ~/.ssh}, at most 16 deep).
 * {@code Match} cannot be evaluated here and is refused with its file and line.
 *
 * <p>Apache MINA SSHD's {@code HostConfigEntry} parser was not used: it has no {@code Include}, keeps no
 * line numbers (so an option could not be refused naming where it is) and merges options per block.
 */
public final class SshConfigFile {
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final Pattern KEYWORD = Pattern.compile("([^\\s=]+)(?:\\s*=\\s*|\\s+|$)(.*)");

    private final List<SshConfigLine> lines;

    private SshConfigFile(List<SshConfigLine> lines) {
        this.lines = List.copyOf(lines);
    }

    public static SshConfigFile empty() {
        return new SshConfigFile(List.of());
    }

    /**
     * @param file  the file; one that does not exist reads as empty when not {@code required} (as
     *              OpenSSH treats {@code ~/.ssh/config})
     * @param home  the user's home, for {@code ~} and relative {@code Include} paths
     * @param named where the file was named, for the error when a required file is missing
     */
    public static SshConfigFile read(Path file, boolean required, Path home, String named) {
        if (!Files.exists(file)) {
            if (required) {
                throw new ConfigException(named, "ssh config", "ssh config file " + file + " does not exist");
            }
            return empty();
        }
        List<SshConfigLine> lines = new ArrayList<>();
        new Reader(home, lines).read(file, List.of(), 0, named);
        return new SshConfigFile(lines);
    }

    List<SshConfigLine> lines() {
        return lines;
    }

    private record Reader(Path home, List<SshConfigLine> out) {

        void read(Path file, List<KnownHostsPatterns> outer, int depth, String named) {
            List<String> text;
            try {
                text = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new ConfigException(named, "ssh config", "cannot read ssh config file " + file + ": " + e.getMessage());
            }
            List<KnownHostsPatterns> conditions = outer;
            for (int i = 0; i < text.size(); i++) {
                String location = file + ":" + (i + 1);
                String line = text.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Matcher matcher = KEYWORD.matcher(line);
                if (!matcher.matches()) {
                    throw new ConfigException(location, "", "cannot read this line as 'Keyword value'");
                }
                String keyword = matcher.group(1);
                String value = matcher.group(2).strip();
                // as OpenSSH: a ProxyCommand is the rest of the line, for the shell to read, not split into words
                List<String> args = keyword.equalsIgnoreCase("proxycommand") ? (value.isEmpty() ? List.of() : List.of(value))
                        : SshConfigWords.split(value, location, keyword);
                switch (keyword.toLowerCase(Locale.ROOT)) {
                    case "host" -> {
                        if (args.isEmpty()) {
                            throw new ConfigException(location, keyword, "Host needs at least one pattern");
                        }
                        List<KnownHostsPatterns> block = new ArrayList<>(outer);
                        block.add(KnownHostsPatterns.parse(String.join(",", args)));
                        conditions = List.copyOf(block);
                    }
                    case "match" -> throw new ConfigException(location, keyword, "Match blocks are not supported by vaultcfg; "
                            + "write the hosts as a Host block, or give vaultcfg another file (-F FILE in ansible_ssh_common_args, "
                            + "or vaultcfg_ssh_config_file)");
                    case "include" -> include(args, conditions, depth, location, keyword);
                    default -> out.add(new SshConfigLine(keyword, args, location, keyword, conditions, value));
                }
            }
        }

        private void include(List<String> args, List<KnownHostsPatterns> conditions, int depth, String location, String keyword) {
            if (args.isEmpty()) {
                throw new ConfigException(location, keyword, "Include needs a file name");
            }
            if (depth + 1 > MAX_INCLUDE_DEPTH) {
                throw new ConfigException(location, keyword, "Include nested more than " + MAX_INCLUDE_DEPTH + " deep");
            }
            for (String arg : args) {
                for (Path included : expand(arg, location, keyword)) {
                    read(included, conditions, depth + 1, location);
                }
            }
        }

        /** OpenSSH's glob(3): matches in name order; a name that matches nothing includes nothing. */
        private List<Path> expand(String arg, String location, String keyword) {
            Path path = arg.startsWith("~/") ? home.resolve(arg.substring(2))
                    : Path.of(arg).isAbsolute() ? Path.of(arg) : home.resolve(".ssh").resolve(arg);
            Path parent = path.getParent();
            String name = path.getFileName().toString();
            if (parent != null && parent.toString().matches(".*[*?\\[].*")) {
                throw new ConfigException(location, keyword, "wildcards are supported in the file name of an Include, "
                        + "not in its directories");
            }
            if (!name.matches(".*[*?\\[].*")) {
                return Files.isRegularFile(path) ? List.of(path) : List.of();
            }
            List<Path> matches = new ArrayList<>();
            if (parent == null || !Files.isDirectory(parent)) {
                return matches;
            }
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(parent, name)) {
                stream.forEach(candidate -> {
                    if (Files.isRegularFile(candidate)) {
                        matches.add(candidate);
                    }
                });
            } catch (IOException e) {
                throw new ConfigException(location, keyword, "cannot list " + parent + ": " + e.getMessage());
            }
            matches.sort(null);
            return matches;
        }
    }
}
