package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * How to start an {@link AwsEmulator}. Start from {@link #defaults()} and change what you need with the
 * {@code with...} methods. Realism knobs (activation delay, throttle rate, IAM propagation delay) are off by default.
 *
 * @param port                     TCP port on 127.0.0.1; 0 picks a free one
 * @param stateFile                JSON file to keep state across restarts; null keeps state in memory only
 * @param accountId                12-digit account id used in every ARN
 * @param admin                    credentials of the account root, which may do everything
 * @param accessKeyActivationDelay how long a new IAM access key stays unusable (IAM eventual consistency)
 * @param throttleRate             fraction (0..1) of authenticated requests answered with a throttling error
 * @param iamPropagationDelay      how long a new IAM user or managed policy stays invisible to the IAM calls that name
 *                                 it ({@code NoSuchEntity}), as IAM's eventual consistency can make it on AWS
 * @param maxBodyBytes             larger request bodies are refused with 413
 * @param threads                  HTTP worker threads
 * @param logListener              optional callback for every request-log entry (e.g. printing); may be null
 * @param clock                    time source, replaceable in tests
 */
public record EmulatorOptions(int port, Path stateFile, String accountId, AccessKeyPair admin,
                              Duration accessKeyActivationDelay, double throttleRate, long maxBodyBytes, int threads,
                              Consumer<RequestLogEntry> logListener, Clock clock, Duration iamPropagationDelay) {

    public static final String DEFAULT_ACCOUNT_ID = "123456789012";
    public static final long ONE_MIB = 1024 * 1024;

    public EmulatorOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (accountId == null || !accountId.matches("\\d{12}")) {
            throw new IllegalArgumentException("account id must be 12 digits, was " + accountId);
        }
        if (admin == null || admin.accessKeyId().isBlank() || admin.secretAccessKey().isEmpty()) {
            throw new IllegalArgumentException("admin access key id and secret must not be empty");
        }
        if (throttleRate < 0 || throttleRate > 1) {
            throw new IllegalArgumentException("throttle rate must be between 0 and 1, was " + throttleRate);
        }
        if (accessKeyActivationDelay == null || accessKeyActivationDelay.isNegative()) {
            throw new IllegalArgumentException("access key activation delay must be zero or positive");
        }
        if (iamPropagationDelay == null || iamPropagationDelay.isNegative()) {
            throw new IllegalArgumentException("IAM propagation delay must be zero or positive");
        }
    }

    public static EmulatorOptions defaults() {
        return new EmulatorOptions(0, null, DEFAULT_ACCOUNT_ID, new AccessKeyPair("test", "test"), Duration.ZERO,
                0.0, ONE_MIB, 8, null, Clock.systemUTC(), Duration.ZERO);
    }

    public EmulatorOptions withPort(int newPort) {
        return new EmulatorOptions(newPort, stateFile, accountId, admin, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, logListener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withStateFile(Path file) {
        return new EmulatorOptions(port, file, accountId, admin, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, logListener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withAccountId(String id) {
        return new EmulatorOptions(port, stateFile, id, admin, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, logListener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withAdmin(AccessKeyPair credentials) {
        return new EmulatorOptions(port, stateFile, accountId, credentials, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, logListener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withAccessKeyActivationDelay(Duration delay) {
        return new EmulatorOptions(port, stateFile, accountId, admin, delay, throttleRate,
                maxBodyBytes, threads, logListener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withThrottleRate(double rate) {
        return new EmulatorOptions(port, stateFile, accountId, admin, accessKeyActivationDelay, rate,
                maxBodyBytes, threads, logListener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withLogListener(Consumer<RequestLogEntry> listener) {
        return new EmulatorOptions(port, stateFile, accountId, admin, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, listener, clock, iamPropagationDelay);
    }

    public EmulatorOptions withClock(Clock newClock) {
        return new EmulatorOptions(port, stateFile, accountId, admin, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, logListener, newClock, iamPropagationDelay);
    }

    public EmulatorOptions withIamPropagationDelay(Duration delay) {
        return new EmulatorOptions(port, stateFile, accountId, admin, accessKeyActivationDelay, throttleRate,
                maxBodyBytes, threads, logListener, clock, delay);
    }
}
