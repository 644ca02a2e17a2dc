package io.vaultcfg.aws.emulator.http;

import io.vaultcfg.aws.emulator.request.AwsRequest;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;

/**
 * Realism knobs: answers a configurable fraction of authenticated requests with a throttling error, and,
 * set at run time, every request signed with a given access key with a throttling or an internal error, and
 * an action (e.g. {@code kms:Decrypt}) coming from a given source address with an access denial, as an IAM
 * policy with an {@code aws:SourceIp} deny would: one host of a fleet then fails to unseal. For tests that kill a
 * caller at a chosen step, the answer to a chosen request can be held back after the request took effect.
 */
public final class FaultInjector {
    /** What a request signed with a faulty access key is answered with. */
    public enum Fault {
        THROTTLING,
        /** A 5xx answer, as when the service fails. */
        INTERNAL_ERROR
    }

    private final double throttleRate;
    private final Map<String, Fault> byAccessKey = new ConcurrentHashMap<>();
    private final Set<SourceDenial> denials = ConcurrentHashMap.newKeySet();
    private final Set<ResponseHold> holds = ConcurrentHashMap.newKeySet();

    /** {@code action} as IAM names it ({@code kms:Decrypt}), denied to requests whose connection comes from {@code source}. */
    private record SourceDenial(String action, InetAddress source) {
    }

    public FaultInjector(double throttleRate) {
        if (throttleRate < 0 || throttleRate > 1) {
            throw new IllegalArgumentException("throttle rate must be between 0 and 1, was " + throttleRate);
        }
        this.throttleRate = throttleRate;
    }

    public boolean throttleNow() {
        return throttleRate > 0 && ThreadLocalRandom.current().nextDouble() < throttleRate;
    }

    /** From now on every request signed with {@code accessKeyId} fails with {@code fault}; null clears it. */
    public void failRequestsSignedBy(String accessKeyId, Fault fault) {
        if (fault == null) {
            byAccessKey.remove(accessKeyId);
        } else {
            byAccessKey.put(accessKeyId, fault);
        }
    }

    Optional<Fault> faultFor(String accessKeyId) {
        return accessKeyId == null ? Optional.empty() : Optional.ofNullable(byAccessKey.get(accessKeyId));
    }

    /**
     * From now on {@code action} ({@code service:Operation}, e.g. {@code kms:Decrypt}) is denied to requests from
     * {@code source}, whoever signs them; other addresses and actions are unaffected.
     */
    public void denyFrom(InetAddress source, String action) {
        if (source == null || action == null || !action.matches("[a-z]+:[A-Za-z]+")) {
            throw new IllegalArgumentException("a source address and an action such as kms:Decrypt are required");
        }
        denials.add(new SourceDenial(action, source));
    }

    /** Lifts a denial set with {@link #denyFrom}; lifting one that is not set does nothing. */
    public void allowFrom(InetAddress source, String action) {
        denials.remove(new SourceDenial(action, source));
    }

    boolean denies(String service, String operation, InetAddress source) {
        return source != null && !denials.isEmpty() && denials.contains(new SourceDenial(service + ":" + operation, source));
    }

    /**
     * From now on the answer to the first request {@code which} matches (its log entry, and the request as received) is
     * held back, after the request took effect and was logged, until the returned hold is released.
     */
    public ResponseHold holdResponse(BiPredicate<RequestLogEntry, AwsRequest> which) {
        ResponseHold hold = new ResponseHold(which);
        holds.add(hold);
        return hold;
    }

    /** Called with every handled request, outside the state lock: waits here if a hold takes it. */
    void holdIfAsked(RequestLogEntry entry, AwsRequest request) {
        for (ResponseHold hold : holds) {
            if (hold.takes(entry, request)) {
                holds.remove(hold);
                hold.holdHere();
                return;
            }
        }
    }
}
