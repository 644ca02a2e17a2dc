package io.vaultcfg.aws.emulator;

import io.vaultcfg.aws.emulator.auth.Authenticator;
import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.http.Dispatcher;
import io.vaultcfg.aws.emulator.http.FaultInjector;
import io.vaultcfg.aws.emulator.http.HttpFront;
import io.vaultcfg.aws.emulator.iam.IamService;
import io.vaultcfg.aws.emulator.kms.KmsService;
import io.vaultcfg.aws.emulator.request.RequestLog;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.StateKeeper;
import io.vaultcfg.aws.emulator.state.StateStore;
import io.vaultcfg.aws.emulator.sts.StsService;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A local AWS KMS + IAM + STS endpoint on 127.0.0.1 that the real AWS SDKs, the AWS CLI and Vault/OpenBao's
 * {@code awskms} seal talk to unchanged: SigV4-verified, IAM-policy-enforcing, with real AES-GCM encryption.
 *
 * <pre>{@code
 * try (AwsEmulator aws = AwsEmulator.start(EmulatorOptions.defaults())) {
 *     KmsClient kms = KmsClient.builder().endpointOverride(aws.endpoint()) ... ;
 * }
 * }</pre>
 */
public final class AwsEmulator implements AutoCloseable {
    private static final int REQUEST_LOG_CAPACITY = 10_000;

    private final EmulatorOptions options;
    private final HttpFront front;
    private final StateKeeper keeper;
    private final RequestLog requestLog;
    private final ScheduledExecutorService flusher;
    private final FaultInjector faults;

    private AwsEmulator(EmulatorOptions options, HttpFront front, StateKeeper keeper, RequestLog requestLog,
                        ScheduledExecutorService flusher, FaultInjector faults) {
        this.options = options;
        this.front = front;
        this.keeper = keeper;
        this.requestLog = requestLog;
        this.flusher = flusher;
        this.faults = faults;
    }

    public static AwsEmulator start(EmulatorOptions options) throws IOException {
        StateStore store = options.stateFile() == null ? null : new StateStore(options.stateFile());
        EmulatorState state = store == null ? new EmulatorState(options.accountId()) : store.loadOrCreate(options.accountId());
        StateKeeper keeper = new StateKeeper(state, store);
        keeper.saveNow();
        Authorizer authorizer = new Authorizer(state);
        Authenticator authenticator = new Authenticator(state, options.admin(), options.accessKeyActivationDelay(),
                options.clock());
        RequestLog log = new RequestLog(REQUEST_LOG_CAPACITY, options.logListener());
        FaultInjector faults = new FaultInjector(options.throttleRate());
        Dispatcher dispatcher = new Dispatcher(state, authenticator,
                new KmsService(state, authorizer, options.clock()),
                new IamService(state, authorizer, options.clock(), options.iamPropagationDelay()),
                new StsService(state, authorizer, options.clock()),
                faults, keeper, log, options.clock());
        HttpFront front = new HttpFront(options.port(), options.threads(), options.maxBodyBytes(), dispatcher);
        ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "aws-emulator-state-flush");
            thread.setDaemon(true);
            return thread;
        });
        if (store != null) {
            flusher.scheduleWithFixedDelay(keeper::flush, 1, 1, TimeUnit.SECONDS);
        }
        return new AwsEmulator(options, front, keeper, log, flusher, faults);
    }

    /** {@code http://127.0.0.1:<port>}: pass to {@code endpointOverride}, {@code --endpoint-url} or a seal's endpoint. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return front.port();
    }

    public String accountId() {
        return options.accountId();
    }

    /** The account root's credentials: allowed everything, use them to set up users, policies and keys. */
    public AccessKeyPair adminCredentials() {
        return options.admin();
    }

    public RequestLog requestLog() {
        return requestLog;
    }

    /** Faults that tests switch on and off while the emulator runs. */
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public void close() {
        front.close();
        flusher.shutdownNow();
        keeper.flush();
    }
}
