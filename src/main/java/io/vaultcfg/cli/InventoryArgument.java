package io.vaultcfg.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The inventory, as the first argument or as {@code -i INVENTORY} (Ansible users type -i by habit); exactly one. */
final class InventoryArgument {
    @Parameters(index = "0", arity = "0..1", paramLabel = "INVENTORY", description = "Ansible-format YAML inventory")
    Path positional;

    @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY", description = "The inventory (instead of the argument)")
    Path option;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandSpec spec;

    /** The inventory given; a usage error (exit 1) when it is missing or given twice. */
    Path path() {
        if (positional != null && option != null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "the inventory is given twice (INVENTORY and -i); give it once");
        }
        if (positional == null && option == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "missing the inventory: give INVENTORY or -i INVENTORY");
        }
        return positional != null ? positional : option;
    }
}
