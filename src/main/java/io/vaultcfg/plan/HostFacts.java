package io.vaultcfg.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything read from one host in the facts round trip, answered by fact. A run asks for the same command fact of a
 * host several times (the controller's plan, the planning pass, the host's plan), each a parse on the controller's
 * cores: {@link #parsedNow()} parses each once, on the host's own worker right after its read, and keeps the values.
 * Without it (a fleet larger than the forks, whose facts wait in memory) each ask parses again.
 */
public final class HostFacts {
    public static final HostFacts NONE = new HostFacts(Map.of(), Map.of());
    /** Stands for a parse that gave null (a map holds no null). */
    private static final Object NULL = new Object();

    private final Map<String, FileState> files;
    private final Map<CommandFact<?>, CommandOutput> commands;
    /** The parsed values, when kept; null: parsed on each ask. */
    private final Map<CommandFact<?>, Object> parsed;

    public HostFacts(Map<String, FileState> files, Map<CommandFact<?>, CommandOutput> commands) {
        this(files, commands, null);
    }

    private HostFacts(Map<String, FileState> files, Map<CommandFact<?>, CommandOutput> commands, Map<CommandFact<?>, Object> parsed) {
        this.files = files;
        this.commands = commands;
        this.parsed = parsed;
    }

    public Map<String, FileState> files() {
        return files;
    }

    public Map<CommandFact<?>, CommandOutput> commands() {
        return commands;
    }

    /** The value of a fact that was read: a {@link FileFact}'s state, a {@link CommandFact}'s parsed output. */
    @SuppressWarnings("unchecked")
    public <T> T get(Fact<T> fact) {
        if (fact instanceof FileFact file) {
            return (T) file(file.path());
        }
        CommandFact<T> command = (CommandFact<T>) fact;
        if (parsed == null) {
            return command.parse(output(command));
        }
        Object value = parsed.get(command);
        if (value == null) {
            T fresh = command.parse(output(command));
            value = parsed.computeIfAbsent(command, ignored -> fresh == null ? NULL : fresh);
        }
        return value == NULL ? null : (T) value;
    }

    /**
     * These facts with every command fact parsed now, on the calling thread, and kept: the run's later passes over the
     * whole fleet then parse nothing. A fact whose parse fails is not kept: its asker gets the failure in its own step.
     */
    public HostFacts parsedNow() {
        HostFacts kept = new HostFacts(files, commands, new ConcurrentHashMap<>());
        for (CommandFact<?> command : commands.keySet()) {
            try {
                kept.get(command);
            } catch (RuntimeException e) {
                // left for the task that asks for it
            }
        }
        return kept;
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
        return commands.keySet().stream().filter(kind::isInstance).map(command -> get(kind.cast(command))).toList();
    }

    private CommandOutput output(CommandFact<?> fact) {
        CommandOutput output = commands.get(fact);
        if (output == null) {
            throw new IllegalStateException("no fact gathered for " + fact.getClass().getSimpleName());
        }
        return output;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostFacts facts && files.equals(facts.files) && commands.equals(facts.commands);
    }

    @Override
    public int hashCode() {
        return Objects.hash(files, commands);
    }

    @Override
    public String toString() {
        return "HostFacts[files=" + files.keySet() + ", commands=" + commands.size() + "]";
    }
}
