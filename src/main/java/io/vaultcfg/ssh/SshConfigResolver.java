package io.vaultcfg.ssh;

import io.vaultcfg.config.ConfigException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Combines the command-line options (what the inventory says) with an ssh config file into the
 * settings for one host, as OpenSSH does: options apply when every {@code Host} line they are under
 * matches the name the host is looked up by; the first value found for an option wins, command line
 * first; {@code IdentityFile} accumulates. Every option vaultcfg does not act on is refused naming its
 * {@code file:line}, except those listed in {@link #NO_EFFECT}, which concern features vaultcfg never uses.
 */
public final class SshConfigResolver {
    /** Options that only concern what vaultcfg never does: forwarding, multiplexing, terminals, logging, other logins. */
    static final Set<String> NO_EFFECT = Set.of("forwardagent", "forwardx11", "forwardx11trusted", "forwardx11timeout",
            "localforward", "remoteforward", "dynamicforward", "exitonforwardfailure", "gatewayports", "clearallforwardings",
            "controlmaster", "controlpath", "controlpersist", "compression", "loglevel", "logverbose", "syslogfacility",
            "addkeystoagent", "usekeychain", "sendenv", "requesttty", "escapechar", "visualhostkey", "tcpkeepalive",
            "passwordauthentication", "kbdinteractiveauthentication", "challengeresponseauthentication",
            "gssapiauthentication", "gssapidelegatecredentials", "batchmode", "checkhostip", "numberofpasswordprompts",
            "permitlocalcommand", "streamlocalbindunlink", "streamlocalbindmask", "forkafterauthentication", "sessiontype",
            "stdinnull", "xauthlocation", "ignoreunknown");

    private final SshConfigSources sources;

    public SshConfigResolver(SshConfigSources sources) {
        this.sources = sources;
    }

    /**
     * @param lookupName       {@code ansible_host} when set, else the inventory name (what Ansible hands to ssh)
     * @param commandLine      the inventory's options, in the order Ansible puts them on ssh's command line
     * @param acceptNewHostKey {@code --ssh-accept-new}
     */
    public SshHostSettings resolve(String lookupName, List<SshConfigLine> commandLine, SshConfigFile file,
                                   boolean acceptNewHostKey) {
        Found found = collect(lookupName, commandLine, file);
        String hostName = found.single("hostname").map(v -> expandHostName(v, lookupName, found.where("hostname")))
                .orElse(lookupName);
        int port = found.single("port").map(v -> number(v, 1, 65535, found.where("port"))).orElse(22);
        String user = found.single("user").orElse(sources.localUser());
        Map<Character, String> tokens = Map.of('d', sources.home().toString(), 'u', sources.localUser(), 'h', hostName,
                'p', String.valueOf(port), 'r', user, '%', "%");
        List<Path> identities = paths(found.identityFiles(), tokens);
        List<Path> userFiles = found.list("userknownhostsfile", tokens)
                .orElse(List.of(sources.home().resolve(".ssh/known_hosts"), sources.home().resolve(".ssh/known_hosts2")));
        List<Path> globalFiles = found.list("globalknownhostsfile", tokens).orElse(sources.globalKnownHosts());
        List<Path> read = new ArrayList<>(userFiles);
        read.addAll(globalFiles);
        Path write = userFiles.isEmpty() ? null : userFiles.get(0);
        boolean acceptNew = acceptNewHostKey || found.single("stricthostkeychecking")
                .map(v -> acceptNew(v, found.where("stricthostkeychecking"))).orElse(false);
        if (write == null && acceptNew) {
            throw new ConfigException(found.where("userknownhostsfile").location(), found.where("userknownhostsfile").field(),
                    "UserKnownHostsFile none leaves nowhere to record a new host key (accept-new)");
        }
        Optional<Duration> connectTimeout = found.single("connecttimeout")
                .map(v -> Duration.ofSeconds(number(v, 1, 86_400, found.where("connecttimeout"))));
        Optional<KeepAlivePolicy> keepAlive = keepAlive(found);
        found.single("hostkeyalias").ifPresent(alias -> {
            String problem = HostNames.problem(alias);
            if (problem != null) {
                throw new ConfigException(found.where("hostkeyalias").location(), found.where("hostkeyalias").field(),
                        "HostKeyAlias " + problem + "; refused");
            }
        });
        List<JumpHost> jumps = found.single("proxyjump").map(v -> jumps(v, found.where("proxyjump"), file)).orElse(List.of());
        Optional<ProxyCommand> proxyCommand = Optional.ofNullable(found.where("proxycommand"))
                .flatMap(line -> ProxyCommandExpansion.expand(line, lookupName, hostName, port, user, found.where("user")));
        return new SshHostSettings(hostName, port, user, identities,
                found.single("identitiesonly").map(v -> yesNo(v, found.where("identitiesonly"))).orElse(false),
                jumps, write == null ? sources.home().resolve(".ssh/known_hosts") : write, read, acceptNew,
                found.single("hostkeyalias"), connectTimeout, keepAlive, paths(found.certificateFiles(), tokens), proxyCommand);
    }

    private static List<Path> paths(List<Value> values, Map<Character, String> tokens) {
        List<Path> paths = new ArrayList<>();
        for (Value value : values) {
            paths.add(path(value.text(), tokens, value.line()));
        }
        return paths;
    }

    /** Each hop of a ProxyJump is looked up in the same file for its HostName, User, Port and keys, as {@code ssh -J} does. */
    private List<JumpHost> jumps(String spec, SshConfigLine line, SshConfigFile file) {
        List<JumpHost> hops = new ArrayList<>();
        for (JumpHost given : JumpSpecs.parse(spec, line.location(), line.field())) {
            Found hop = collect(given.host(), List.of(), file);
            for (String own : List.of("proxyjump", "proxycommand")) {
                if (hop.single(own).filter(v -> !v.equalsIgnoreCase("none")).isPresent()) {
                    throw new ConfigException(hop.where(own).location(), hop.where(own).field(), "jump host " + given.host()
                            + " has its own " + hop.where(own).name() + "; vaultcfg follows one chain: list every hop in the "
                            + "ProxyJump of " + line.location());
                }
            }
            if (hop.single("hostkeyalias").isPresent()) {
                throw new ConfigException(hop.where("hostkeyalias").location(), hop.where("hostkeyalias").field(),
                        "HostKeyAlias is not supported for a jump host (" + given.host() + ")");
            }
            String hostName = hop.single("hostname").map(v -> expandHostName(v, given.host(), hop.where("hostname")))
                    .orElse(given.host());
            String problem = HostNames.problem(hostName);
            if (problem != null) {
                throw new ConfigException(hop.where("hostname").location(), "HostName", "host name " + problem + "; refused");
            }
            int port = given.port() > 0 ? given.port()
                    : hop.single("port").map(v -> number(v, 1, 65535, hop.where("port"))).orElse(0);
            String user = given.user() != null ? given.user() : hop.single("user").orElse(null);
            Map<Character, String> tokens = Map.of('d', sources.home().toString(), 'u', sources.localUser(), 'h', hostName,
                    'p', String.valueOf(port > 0 ? port : 22), 'r', user == null ? sources.localUser() : user, '%', "%");
            hops.add(new JumpHost(user, hostName, port, paths(hop.identityFiles(), tokens),
                    hop.single("identitiesonly").map(v -> yesNo(v, hop.where("identitiesonly"))).orElse(false),
                    paths(hop.certificateFiles(), tokens)));
        }
        return hops;
    }

    private Found collect(String lookupName, List<SshConfigLine> commandLine, SshConfigFile file) {
        Found found = new Found();
        for (SshConfigLine line : commandLine) {
            found.take(line);
        }
        for (SshConfigLine line : file.lines()) {
            if (line.appliesTo(lookupName)) {
                found.take(line);
            }
        }
        return found;
    }

    private record Value(String text, SshConfigLine line) {
    }

    /** The options that apply to one host: the first line of each, every IdentityFile. */
    private static final class Found {
        private final Map<String, SshConfigLine> first = new HashMap<>();
        private final List<Value> identityFiles = new ArrayList<>();
        private final List<Value> certificateFiles = new ArrayList<>();

        void take(SshConfigLine line) {
            String keyword = line.keyword();
            switch (keyword) {
                case "hostname", "user", "port", "identitiesonly", "stricthostkeychecking", "hostkeyalias",
                        "connecttimeout", "serveraliveinterval", "serveralivecountmax" -> {
                    if (line.args().size() != 1) {
                        throw new ConfigException(line.location(), line.field(), line.name() + " takes exactly one value");
                    }
                    first.putIfAbsent(keyword, line);
                }
                case "userknownhostsfile", "globalknownhostsfile" -> {
                    if (line.args().isEmpty()) {
                        throw new ConfigException(line.location(), line.field(), line.name() + " needs a file (or none)");
                    }
                    first.putIfAbsent(keyword, line);
                }
                case "identityfile", "certificatefile" -> {
                    if (line.args().size() != 1) {
                        throw new ConfigException(line.location(), line.field(), line.name() + " takes exactly one file");
                    }
                    (keyword.equals("identityfile") ? identityFiles : certificateFiles).add(new Value(line.args().get(0), line));
                }
                case "proxyjump", "proxycommand" -> {
                    if (line.args().size() != 1) {
                        throw new ConfigException(line.location(), line.field(), line.name()
                                + (keyword.equals("proxyjump") ? " takes exactly one value" : " needs a command (or none)"));
                    }
                    // as OpenSSH: whichever of the two is given first wins, and the other is then ignored
                    if (!first.containsKey("proxyjump") && !first.containsKey("proxycommand")) {
                        first.put(keyword, line);
                    }
                }
                default -> {
                    if (!NO_EFFECT.contains(keyword)) {
                        throw new ConfigException(line.location(), line.field(), "unsupported ssh option '" + line.name()
                                + "' (see the README's SSH section for the options vaultcfg reads)");
                    }
                }
            }
        }

        Optional<String> single(String keyword) {
            return Optional.ofNullable(first.get(keyword)).map(line -> line.args().get(0));
        }

        SshConfigLine where(String keyword) {
            return first.get(keyword);
        }

        List<Value> identityFiles() {
            return identityFiles;
        }

        List<Value> certificateFiles() {
            return certificateFiles;
        }

        /** A file list option; {@code none} alone means no file. */
        Optional<List<Path>> list(String keyword, Map<Character, String> tokens) {
            SshConfigLine line = first.get(keyword);
            if (line == null) {
                return Optional.empty();
            }
            if (line.args().size() == 1 && line.args().get(0).equalsIgnoreCase("none")) {
                return Optional.of(List.of());
            }
            List<Path> files = new ArrayList<>();
            for (String arg : line.args()) {
                files.add(path(arg, tokens, line));
            }
            return Optional.of(files);
        }
    }

    private static Path path(String text, Map<Character, String> tokens, SshConfigLine line) {
        String expanded = percent(text, tokens, line);
        if (expanded.startsWith("~/")) {
            return Path.of(tokens.get('d'), expanded.substring(2));
        }
        if (expanded.equals("~")) {
            return Path.of(tokens.get('d'));
        }
        return Path.of(expanded);
    }

    private static String percent(String text, Map<Character, String> tokens, SshConfigLine line) {
        return percent(text, tokens, line, "%d %u %h %p %r %%");
    }

    /** OpenSSH's {@code %} tokens: the ones vaultcfg knows ({@code known}, for the message), or a refusal naming the token. */
    static String percent(String text, Map<Character, String> tokens, SshConfigLine line, String known) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= text.length() || !tokens.containsKey(text.charAt(i + 1))) {
                throw new ConfigException(line.location(), line.field(), "unsupported token '"
                        + (i + 1 < text.length() ? "%" + text.charAt(i + 1) : "%") + "' in " + line.name()
                        + " (vaultcfg expands " + known + ")");
            }
            out.append(tokens.get(text.charAt(++i)));
        }
        return out.toString();
    }

    private static String expandHostName(String value, String original, SshConfigLine line) {
        String expanded = percent(value, Map.of('h', original, '%', "%"), line);
        String problem = HostNames.problem(expanded);
        if (problem != null) {
            throw new ConfigException(line.location(), line.field(), "host name " + problem + "; refused as OpenSSH refuses it");
        }
        return expanded;
    }

    private static int number(String value, int min, int max, SshConfigLine line) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(line.location(), line.field(), line.name() + " must be a number from " + min + " to " + max);
    }

    private static boolean yesNo(String value, SshConfigLine line) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new ConfigException(line.location(), line.field(), line.name() + " must be yes or no");
        };
    }

    private static boolean acceptNew(String value, SshConfigLine line) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "ask", "true" -> false;
            case "accept-new" -> true;
            case "no", "off", "false" -> throw new ConfigException(line.location(), line.field(), "StrictHostKeyChecking=no is "
                    + "refused: vaultcfg always checks host keys; use --ssh-accept-new (or StrictHostKeyChecking accept-new) "
                    + "to trust new hosts on first use");
            default -> throw new ConfigException(line.location(), line.field(),
                    "StrictHostKeyChecking must be yes, ask, accept-new (no is refused)");
        };
    }

    private static Optional<KeepAlivePolicy> keepAlive(Found found) {
        Optional<Integer> interval = found.single("serveraliveinterval")
                .map(v -> number(v, 1, 86_400, found.where("serveraliveinterval")));
        Optional<Integer> count = found.single("serveralivecountmax")
                .map(v -> number(v, 1, 1_000, found.where("serveralivecountmax")));
        if (interval.isEmpty() && count.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeepAlivePolicy(interval.orElse(KeepAlivePolicy.DEFAULT.intervalSeconds()),
                count.orElse(KeepAlivePolicy.DEFAULT.maxUnanswered())));
    }
}
