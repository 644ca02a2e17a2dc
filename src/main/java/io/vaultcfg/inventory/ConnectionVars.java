package io.vaultcfg.inventory;

import io.vaultcfg.ssh.JumpHost;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** TEMPORARY stub until the inventory branch lands. */
public record ConnectionVars(String address, int port, String user, Optional<Path> privateKeyFile,
                             Optional<JumpHost> jumpHost, Path knownHostsFile, boolean become, boolean becomeSet,
                             String becomeUser, boolean becomeUserSet) {

    public static ConnectionVars parse(String host, Map<String, Object> vars, Function<String, String> locations) {
        Object become = vars.get("ansible_become");
        return new ConnectionVars(
                String.valueOf(vars.getOrDefault("ansible_host", host)),
                Integer.parseInt(String.valueOf(vars.getOrDefault("ansible_port", "22"))),
                String.valueOf(vars.getOrDefault("ansible_user", System.getProperty("user.name"))),
                Optional.ofNullable(vars.get("ansible_ssh_private_key_file")).map(v -> Path.of(String.valueOf(v))),
                Optional.empty(),
                Path.of(String.valueOf(vars.getOrDefault("vaultcfg_known_hosts_file", System.getProperty("user.home") + "/.ssh/known_hosts"))),
                become != null && Boolean.parseBoolean(String.valueOf(become)),
                become != null,
                String.valueOf(vars.getOrDefault("ansible_become_user", "root")),
                vars.containsKey("ansible_become_user"));
    }
}
