package io.vaultcfg.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code vaultcfg <command>}. Exit codes are documented in README.md. */
@Command(name = "vaultcfg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Configures Vault/OpenBao AWS KMS auto-unseal on hosts outside AWS, agentless over SSH.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ApplyCommand.class,
                LabCommand.class,
                AwsEmulatorCommand.class,
        })
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    /** For embedding and tests: commands are created by {@code factory} (e.g. with another SSH connector). */
    public static int run(CommandLine.IFactory factory, String... args) {
        return new CommandLine(new Main(), factory).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
