package io.vaultcfg.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code vaultcfg <command>}. Exit codes are documented in README.md. */
@Command(name = "vaultcfg",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Configures Vault/OpenBao AWS KMS auto-unseal on hosts outside AWS, agentless over SSH.")
public final class Main implements Runnable {
    /** Added programmatically: a run builds the model of the command it runs only (picocli's reflection costs ~50 ms a command). */
    private static final Map<String, Class<?>> COMMANDS = commands();
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(CommandLine.defaultFactory(), args);
    }

    /** For embedding and tests: commands are created by {@code factory} (e.g. with another SSH connector). */
    public static int run(CommandLine.IFactory factory, String... args) {
        return commandLine(factory, args).execute(args);
    }

    static CommandLine commandLine(CommandLine.IFactory factory, String... args) {
        CommandLine root = new CommandLine(new Main(), factory);
        String first = args.length > 0 ? args[0] : "";
        boolean single = COMMANDS.containsKey(first) && !first.equals("help");
        COMMANDS.forEach((name, type) -> {
            if (!single || name.equals(first)) {
                root.addSubcommand(name, new CommandLine(type, factory));
            }
        });
        root.setParameterExceptionHandler(new UsageErrorHandler());
        return root;
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("help", CommandLine.HelpCommand.class);
        commands.put("apply", ApplyCommand.class);
        commands.put("audit", AuditCommand.class);
        commands.put("rotate-access-key", RotateAccessKeyCommand.class);
        commands.put("inventory", InventoryCommand.class);
        commands.put("lab", LabCommand.class);
        commands.put("aws-emulator", AwsEmulatorCommand.class);
        return commands;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
