package io.vaultcfg.testing;

import io.vaultcfg.cli.ApplyCommand;
import io.vaultcfg.cli.AuditCommand;
import io.vaultcfg.cli.Main;
import io.vaultcfg.cli.RotateAccessKeyCommand;
import io.vaultcfg.ssh.SshConnector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Runs the real CLI in-process with a chosen SSH connector, capturing what a user would see. */
public record CliRun(int exitCode, String stdout, String stderr) {

    public static CliRun run(SshConnector connector, Map<String, String> env, String stdin, String... args) {
        return run(connector, env, stdin, false, args);
    }

    /** @param terminal the command is told its output is a terminal (as {@code System.console()} would say) */
    public static CliRun run(SshConnector connector, Map<String, String> env, String stdin, boolean terminal, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ApplyCommand.class) {
                    return type.cast(new ApplyCommand(connector, env,
                            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outStream, errStream, terminal));
                }
                if (type == AuditCommand.class) {
                    return type.cast(new AuditCommand(connector, env,
                            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outStream, errStream, terminal));
                }
                if (type == RotateAccessKeyCommand.class) {
                    return type.cast(new RotateAccessKeyCommand(connector, env,
                            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), outStream, errStream, terminal));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        PrintStream previousOut = System.out;
        PrintStream previousErr = System.err;
        int code;
        try {
            System.setOut(outStream);
            System.setErr(errStream);
            code = Main.run(factory, args);
        } finally {
            System.setOut(previousOut);
            System.setErr(previousErr);
        }
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    public static CliRun run(SshConnector connector, String... args) {
        return run(connector, Map.of(), "", args);
    }

    public String all() {
        return stdout + stderr;
    }
}
