package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;

/** Everything read from one host in the facts round trip, answered by fact. */
public record HostFacts(Map<String, FileState> files, Map<CommandFact<?>, CommandOutput> commands) {
    public static final HostFacts NONE = new HostFacts(Map.of(), Map.of());

    /** The value of a fact that was read: a {@link FileFact}'s state, a {@link CommandFact}'s parsed output. */
    @SuppressWarnings("unchecked")
    public <T> T get(Fact<T> fact) {
        if (fact instanceof FileFact file) {
            return (T) file(file.path());
        }
        CommandFact<T> command = (CommandFact<T>) fact;
        return command.parse(output(command));
    }

    public FileState file(String path) {
        FileState state = files.get(path);
        if (state == null) {
            throw new IllegalStateException("no fact gathered for " + path);
        }
        return state;
    }

    /** Every fact of one kind that was read, parsed, whichever task asked for it. */
    public <T, F extends CommandFact<T>> List<T> all(Class<F> kind) {
        return commands.entrySet().stream().filter(entry -> kind.isInstance(entry.getKey()))
                .map(entry -> kind.cast(entry.getKey()).parse(entry.getValue())).toList();
    }

    private CommandOutput output(CommandFact<?> fact) {
        CommandOutput output = commands.get(fact);
        if (output == null) {
            throw new IllegalStateException("no fact gathered for " + fact.getClass().getSimpleName());
        }
        return output;
    }
}
