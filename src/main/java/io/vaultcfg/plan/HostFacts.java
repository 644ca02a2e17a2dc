package io.vaultcfg.plan;

import java.util.Map;

/** Everything read from one host in the facts round trip. */
public record HostFacts(Map<String, FileState> files, Map<String, CommandOutput> commands) {
    public static final HostFacts NONE = new HostFacts(Map.of(), Map.of());

    public FileState file(String path) {
        FileState state = files.get(path);
        if (state == null) {
            throw new IllegalStateException("no fact gathered for " + path);
        }
        return state;
    }

    public CommandOutput command(String shell) {
        CommandOutput output = commands.get(shell);
        if (output == null) {
            throw new IllegalStateException("no fact gathered for command");
        }
        return output;
    }
}
