package io.vaultcfg.cli;

import io.vaultcfg.aws.emulator.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
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
                "Requests must be SigV4-signed; IAM policies of users and roles are enforced."})
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

    @Option(names = "--admin-secret-access-key", defaultValue = "test", converter = CheckedValues.NotEmpty.class,
            description = "Secret of the account root. Default: test")
    String adminSecret;

    @Option(names = "--access-key-delay", paramLabel = "SECONDS", defaultValue = "0", converter = CheckedValues.NonNegativeSeconds.class,
            description = "Seconds before a new IAM access key becomes usable, like IAM's eventual consistency. Default: ${DEFAULT-VALUE}")
    double accessKeyDelaySeconds;

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
        EmulatorOptions options;
        try {
            options = EmulatorOptions.defaults().withPort(port).withStateFile(stateFile).withAccountId(accountId)
                    .withAdmin(new AccessKeyPair(adminAccessKeyId, adminSecret))
                    .withAccessKeyActivationDelay(Duration.ofMillis(Math.round(accessKeyDelaySeconds * 1000)))
                    .withThrottleRate(throttleRate)
                    .withLogListener(logRequests ? entry -> out.println(entry) : null);
        } catch (IllegalArgumentException e) {
            // the options are range-checked while parsing; this is a usage error all the same (exit 1, not 2)
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        AwsEmulator emulator;
        try {
            emulator = AwsEmulator.start(options);
        } catch (IOException e) {
            System.err.println("aws-emulator: cannot start: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> {
            emulator.close();
            stopped.countDown();
        }, "aws-emulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("AWS emulator (KMS, IAM, STS) listening on " + emulator.endpoint());
        out.println("account " + emulator.accountId() + ", admin access key id " + adminAccessKeyId
                + (stateFile == null ? ", state in memory" : ", state in " + stateFile.toAbsolutePath()
                + " (clear-text lab store)"));
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Runtime.getRuntime().removeShutdownHook(hook);
            emulator.close();
        }
        return 0;
    }
}
