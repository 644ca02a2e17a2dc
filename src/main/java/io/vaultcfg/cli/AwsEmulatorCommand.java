package io.vaultcfg.cli;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AdminSecret;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code vaultcfg aws-emulator}: runs the local KMS + IAM + STS emulator on 127.0.0.1 until killed. */
@Command(name = "aws-emulator",
        mixinStandardHelpOptions = true,
        description = {
                "Runs a local AWS KMS + IAM + STS emulator on 127.0.0.1 for labs and tests.",
                "Point clients at it with --endpoint-url / endpointOverride / seal \"awskms\" { endpoint = ... }.",
                "Requests must be SigV4-signed; IAM policies of users and roles are enforced.",
                "The root's secret is never taken on the command line: --admin-secret-file, $" + AdminSecret.ENVIRONMENT_VARIABLE
                        + ", or a random one written to --credentials-file (0600)."})
public final class AwsEmulatorCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "4566", converter = CheckedValues.Port.class, description = "TCP port on 127.0.0.1 (0 = any free port). Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--state", paramLabel = "FILE",
            description = "Keep state in this JSON file across restarts (holds key material and secrets in clear text: lab use only; written with mode 0600).")
    Path stateFile;

    @Option(names = "--account-id", defaultValue = EmulatorOptions.DEFAULT_ACCOUNT_ID, converter = CheckedValues.AccountId.class,
            description = "12-digit account id. Default: ${DEFAULT-VALUE}")
    String accountId;

    @Option(names = "--admin-access-key-id", defaultValue = "test", converter = CheckedValues.NotEmpty.class, description = "Access key id of the account root (allowed everything). Default: ${DEFAULT-VALUE}")
    String adminAccessKeyId;

    @Option(names = "--admin-secret-file", paramLabel = "FILE",
            description = "Read the root's secret from the first line of FILE. Else it is read from $"
                    + AdminSecret.ENVIRONMENT_VARIABLE + ", else a random one is made and written to --credentials-file.")
    Path adminSecretFile;

    @Option(names = "--credentials-file", paramLabel = "FILE",
            description = "Where a generated secret is written with the key id (AWS credentials format, profile "
                    + AdminSecret.CREDENTIALS_PROFILE + ", mode 0600). Default: a new private directory under the temp dir.")
    Path credentialsFile;

    // Refused, never used: a secret on the command line is visible to every local user (ps, /proc/PID/cmdline).
    @Option(names = "--admin-secret-access-key", hidden = true)
    String secretOnCommandLine;

    @Option(names = "--access-key-delay", paramLabel = "SECONDS", defaultValue = "0", converter = CheckedValues.NonNegativeSeconds.class,
            description = "Seconds before a new IAM access key becomes usable, like IAM's eventual consistency. Default: ${DEFAULT-VALUE}")
    double accessKeyDelaySeconds;

    @Option(names = "--iam-propagation-delay", paramLabel = "SECONDS", defaultValue = "0", converter = CheckedValues.NonNegativeSeconds.class,
            description = "Seconds during which a new IAM user or managed policy answers NoSuchEntity to the calls that name it, like IAM's eventual consistency. Default: ${DEFAULT-VALUE}")
    double iamPropagationDelaySeconds;

    @Option(names = "--throttle-rate", defaultValue = "0", converter = CheckedValues.Fraction.class, description = "Fraction (0..1) of requests answered with a throttling error. Default: ${DEFAULT-VALUE}")
    double throttleRate;

    @Option(names = "--log-requests", description = "Print one line per request (service, action, caller, outcome; never secrets).")
    boolean logRequests;

    @Spec
    CommandSpec spec;

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (secretOnCommandLine != null) {
            System.err.println("aws-emulator: --admin-secret-access-key is refused: a secret on the command line is "
                    + "visible to every local user. Set " + AdminSecret.ENVIRONMENT_VARIABLE
                    + " or use --admin-secret-file FILE.");
            return 1;
        }
        AdminSecret adminSecret;
        try {
            adminSecret = AdminSecret.resolve(adminSecretFile, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("aws-emulator: " + e.getMessage());
            return 1;
        }
        EmulatorOptions options;
        try {
            options = EmulatorOptions.defaults().withPort(port).withStateFile(stateFile).withAccountId(accountId)
                    .withAdmin(new AccessKeyPair(adminAccessKeyId, adminSecret.secret()))
                    .withAccessKeyActivationDelay(Duration.ofMillis(Math.round(accessKeyDelaySeconds * 1000)))
                    .withIamPropagationDelay(Duration.ofMillis(Math.round(iamPropagationDelaySeconds * 1000)))
                    .withThrottleRate(throttleRate)
                    .withLogListener(logRequests ? entry -> out.println(entry) : null);
        } catch (IllegalArgumentException e) {
            // the options are range-checked while parsing; this is a usage error all the same (exit 1, not 2)
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Path writtenCredentials = null;
        if (adminSecret.generated()) {
            try {
                writtenCredentials = credentialsFile != null ? credentialsFile : AdminSecret.privateTempFile();
                AdminSecret.writeCredentials(writtenCredentials, options.admin());
            } catch (IOException e) {
                System.err.println("aws-emulator: cannot write the admin credentials to "
                        + (writtenCredentials == null ? "a temp file" : writtenCredentials) + ": " + e.getMessage());
                return 1;
            }
        }
        AwsEmulator emulator;
        try {
            emulator = AwsEmulator.start(options);
        } catch (IOException e) {
            System.err.println("aws-emulator: cannot start: " + e.getMessage());
            deleteGenerated(writtenCredentials);
            return 1;
        }
        Path generated = writtenCredentials;
        Thread hook = new Thread(() -> {
            emulator.close();
            deleteGenerated(generated);
            stopped.countDown();
        }, "aws-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("AWS emulator (KMS, IAM, STS) listening on " + emulator.endpoint());
        out.println("account " + emulator.accountId() + ", admin access key id " + adminAccessKeyId
                + (stateFile == null ? ", state in memory" : ", state in " + stateFile.toAbsolutePath()
                + " (clear-text lab store)"));
        if (writtenCredentials != null) {
            out.println("admin secret generated; credentials (mode 0600, profile " + AdminSecret.CREDENTIALS_PROFILE
                    + ") in " + writtenCredentials.toAbsolutePath());
        }
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().removeShutdownHook(hook);
            emulator.close();
            deleteGenerated(generated);
        }
        return 0;
    }

    // A generated secret is useless once the emulator stops; the file and its private directory (when we made it) go.
    private void deleteGenerated(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            if (credentialsFile == null) {
                Files.deleteIfExists(file.getParent());
            }
        } catch (IOException e) {
            System.err.println("aws-emulator: could not remove " + file + ": " + e.getMessage());
        }
    }
}
