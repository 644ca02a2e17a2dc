package io.vaultcfg.plan;

/**
 * Something a task needs to know about a host before its change can be computed: what to read and the value
 * it becomes. A fact is a value: equal facts (from several tasks) are read once, and {@link HostFacts#get}
 * answers with the parsed value, never by the text of a command.
 *
 * @param <T> what the fact is once read
 */
public sealed interface Fact<T> permits FileFact, CommandFact {
}
