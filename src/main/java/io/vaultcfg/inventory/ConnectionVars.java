package io.vaultcfg.inventory;

import io.vaultcfg.config.ConfigException;
import io.vaultcfg.config.JumpHostSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Ansible's connection variables for one host, validated. Key authentication and passwordless sudo
 * only: password variables are refused rather than ignored.
 *
 * <p>{@code address}, {@code port}, {@code user}, {@code privateKeyFile}, {@code jumpHosts} and
 * {@code knownHostsFile} are what the inventory alone says. The connection itself is resolved from
 * {@code sshOptions} (what Ansible would put on ssh's command line, in its order) over the ssh config file
 * ({@code sshConfigFile}, else {@code ~/.ssh/config}), so that a value the inventory does not set can
 * come from that file.
 */
public record ConnectionVars(String address, int port, String user, Optional<Path> privateKeyFile,
                             List<Bastion> jumpHosts, Path knownHostsFile, boolean become, boolean becomeSet,
                             String becomeUser, boolean becomeUserSet, List<SshOption> sshOptions,
                             Optional<SshOption> sshConfigFile) {

    private static final List<String> PASSWORDS = List.of("ansible_password", "ansible_ssh_pass", "ansible_ssh_password",
            "ansible_become_password", "ansible_become_pass", "ansible_sudo_pass");

    /** @param locate where a variable was set (file:line), for error messages */
    public static ConnectionVars parse(String host, Map<String, Object> vars, Function<String, String> locate) {
        for (String password : PASSWORDS) {
            if (vars.containsKey(password)) {
                throw new ConfigException(locate.apply(password), password, "vaultcfg logs in with SSH keys and needs "
                        + "passwordless sudo; remove the password and set ansible_ssh_private_key_file");
            }
        }
        Object connection = vars.get("ansible_connection");
        if (connection != null && !List.of("ssh", "smart", "paramiko").contains(String.valueOf(connection))) {
            throw new ConfigException(locate.apply("ansible_connection"), "ansible_connection",
                    "only SSH connections are supported, not '" + connection + "'");
        }
        Object method = vars.get("ansible_become_method");
        if (method != null && !String.valueOf(method).equals("sudo")) {
            throw new ConfigException(locate.apply("ansible_become_method"), "ansible_become_method", "only sudo is supported");
        }
        // Ansible's older ansible_ssh_* spellings win over the newer names when both are set, as in Ansible
        String hostVar = vars.get("ansible_ssh_host") != null ? "ansible_ssh_host" : "ansible_host";
        String address = text(vars, hostVar).orElse(host);
        if (vars.containsKey(hostVar)) {
            refuseUnsafeHostName(address, locate.apply(hostVar), hostVar);
        }
        String portVar = vars.get("ansible_ssh_port") != null ? "ansible_ssh_port" : "ansible_port";
        int port = port(vars.get(portVar), locate, portVar);
        String user = text(vars, "ansible_ssh_user").or(() -> text(vars, "ansible_user"))
                .orElse(System.getProperty("user.name"));
        Optional<Path> key = text(vars, "ansible_ssh_private_key_file").or(() -> text(vars, "ansible_private_key_file"))
                .map(ConnectionVars::expandHome);
        Optional<List<Bastion>> jump = text(vars, "vaultcfg_jump_host").map(spec -> jumpHosts(spec,
                locate.apply("vaultcfg_jump_host"), "vaultcfg_jump_host"));
        Optional<Path> knownHosts = text(vars, "vaultcfg_known_hosts_file").map(ConnectionVars::expandHome);
        List<SshOption> sshOptions = new ArrayList<>();
        option(vars, "vaultcfg_jump_host", "ProxyJump", locate, sshOptions);
        option(vars, "vaultcfg_known_hosts_file", "UserKnownHostsFile", locate, sshOptions);
        option(vars, portVar, "Port", locate, sshOptions);
        option(vars, vars.containsKey("ansible_ssh_private_key_file") ? "ansible_ssh_private_key_file" : "ansible_private_key_file",
                "IdentityFile", locate, sshOptions);
        option(vars, vars.get("ansible_ssh_user") != null ? "ansible_ssh_user" : "ansible_user", "User", locate, sshOptions);
        Optional<SshOption> configFile = text(vars, "vaultcfg_ssh_config_file")
                .map(file -> new SshOption("-F", List.of(file), locate.apply("vaultcfg_ssh_config_file"), "vaultcfg_ssh_config_file"));
        for (String argsVar : List.of("ansible_ssh_common_args", "ansible_ssh_extra_args")) { // ssh's order: first value wins
            Optional<String> argsText = text(vars, argsVar);
            if (argsText.isEmpty()) {
                continue;
            }
            String location = locate.apply(argsVar);
            SshArgs args = SshArgs.parse(argsText.get(), location, argsVar);
            for (SshOption option : args.options()) {
                if (option.keyword().equalsIgnoreCase("proxyjump")) {
                    jumpHosts(option.args().get(0), location, argsVar);
                }
            }
            if (jump.isEmpty()) {
                jump = args.options().stream().filter(option -> option.keyword().equalsIgnoreCase("proxyjump")).findFirst()
                        .map(option -> jumpHosts(option.args().get(0), location, argsVar));
            }
            if (knownHosts.isEmpty()) {
                knownHosts = args.options().stream().filter(option -> option.keyword().equalsIgnoreCase("userknownhostsfile"))
                        .findFirst().map(option -> expandHome(option.args().get(0)));
            }
            sshOptions.addAll(args.options());
            if (configFile.isEmpty()) {
                configFile = args.configFile().map(file -> new SshOption("-F", List.of(file), location, argsVar));
            }
        }
        Object become = vars.get("ansible_become");
        return new ConnectionVars(address, port, user, key, jump.orElse(List.of()),
                knownHosts.orElse(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts")),
                become != null && bool(become, locate.apply("ansible_become")), become != null,
                text(vars, "ansible_become_user").orElse("root"), vars.containsKey("ansible_become_user"),
                List.copyOf(sshOptions), configFile);
    }

    /** An inventory variable as the {@code -o Keyword=value} Ansible (or vaultcfg) hands to ssh for it. */
    private static void option(Map<String, Object> vars, String variable, String keyword, Function<String, String> locate,
                               List<SshOption> options) {
        text(vars, variable).ifPresent(value -> options.add(new SshOption(keyword, List.of(value), locate.apply(variable), variable)));
    }

    private static Optional<String> text(Map<String, Object> vars, String name) {
        Object value = vars.get(name);
        return value == null || String.valueOf(value).isEmpty() ? Optional.empty() : Optional.of(String.valueOf(value));
    }

    private static int port(Object value, Function<String, String> locate, String field) {
        if (value == null) {
            return 22;
        }
        try {
            int port = value instanceof Number n ? n.intValue() : Integer.parseInt(String.valueOf(value).trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new ConfigException(locate.apply(field), field, "expected a port number between 1 and 65535");
        }
    }

    private static boolean bool(Object value, String location) {
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (String.valueOf(value).trim().toLowerCase()) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(location, "ansible_become", "expected true or false");
        };
    }

    /** {@code a,b,c}: hops followed in order, as OpenSSH's {@code -J}; {@code none} means no jump host. */
    static List<Bastion> jumpHosts(String spec, String location, String field) {
        if (spec.trim().equalsIgnoreCase("none")) {
            return List.of();
        }
        List<Bastion> hops = new java.util.ArrayList<>();
        for (String hop : spec.split(",", -1)) {
            hops.add(jumpHost(hop.trim(), location, field));
        }
        return List.copyOf(hops);
    }

    private static Bastion jumpHost(String first, String location, String field) {
        JumpHostSpec spec = JumpHostSpec.parse(first, location, field);
        String user = spec.user();
        String host = spec.host();
        int port = spec.port() == 0 ? 22 : spec.port();
        refuseUnsafeHostName(host, location, field);
        return new Bastion(user, host, port);
    }

    /**
     * A host name with a control character, white space or shell metacharacter would end up in a
     * known_hosts line or a ProxyCommand; OpenSSH refuses such names too.
     */
    private static void refuseUnsafeHostName(String host, String location, String field) {
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (Character.isISOControl(c) || Character.isWhitespace(c) || "'`\"$\\;&<>|(){},".indexOf(c) >= 0) {
                throw new ConfigException(location, field, "host name contains "
                        + (Character.isISOControl(c) ? "a control character" : Character.isWhitespace(c) ? "white space" : "'" + c + "'")
                        + "; refused as OpenSSH refuses it");
            }
        }
        if (host.startsWith("-")) {
            throw new ConfigException(location, field, "host name starts with '-'; refused as OpenSSH refuses it");
        }
    }

    static Path expandHome(String path) {
        return path.startsWith("~/") ? Path.of(System.getProperty("user.home"), path.substring(2)) : Path.of(path);
    }
}
