package io.vaultcfg.aws.emulator.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vaultcfg.aws.emulator.request.AwsRequest;
import io.vaultcfg.aws.emulator.request.RequestLog;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import io.vaultcfg.aws.emulator.auth.AccessDeniedException;
import io.vaultcfg.aws.emulator.auth.AuthenticationException;
import io.vaultcfg.aws.emulator.auth.Authenticator;
import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.auth.SigV4Verifier;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.StateKeeper;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * Routes a request to KMS, IAM or STS the way AWS clients address them on one endpoint, authenticates it, runs
 * the action under the state lock, renders every failure in the caller's protocol, and logs the outcome.
 */
public final class Dispatcher {
    private static final JsonProtocol JSON = new JsonProtocol();
    private static final QueryProtocol IAM_XML = new QueryProtocol(QueryProtocol.IAM_NAMESPACE);
    private static final QueryProtocol STS_XML = new QueryProtocol(QueryProtocol.STS_NAMESPACE);
    private static final String KMS_TARGET_PREFIX = "TrentService.";

    private final EmulatorState state;
    private final Authenticator authenticator;
    private final JsonService kms;
    private final QueryService iam;
    private final QueryService sts;
    private final FaultInjector faults;
    private final StateKeeper keeper;
    private final RequestLog log;
    private final Clock clock;

    public Dispatcher(EmulatorState state, Authenticator authenticator, JsonService kms, QueryService iam,
                      QueryService sts, FaultInjector faults, StateKeeper keeper, RequestLog log, Clock clock) {
        this.state = state;
        this.authenticator = authenticator;
        this.kms = kms;
        this.iam = iam;
        this.sts = sts;
        this.faults = faults;
        this.keeper = keeper;
        this.log = log;
        this.clock = clock;
    }

    /** Where a request goes; {@code action} is null when the request names none. */
    private record Route(String service, WireProtocol protocol, String action, QueryParams query) {
        /** The service whose name the credential scope must carry; null when the request names none we serve. */
        String knownService() {
            return service.equals("unknown") ? null : service;
        }
    }

    public AwsResponse dispatch(AwsRequest request) {
        String requestId = Ids.requestId();
        Route route;
        try {
            route = route(request);
        } catch (AwsServiceException e) {
            WireProtocol protocol = guessProtocol(request);
            return logged(request, "unknown", "unknown", null, protocol.error(e, requestId));
        }
        Caller caller = null;
        AwsResponse response;
        synchronized (state) {
            try {
                SigV4Verifier.ParsedAuthorization auth = SigV4Verifier.parse(request.header("authorization"));
                caller = authenticator.authenticate(request, auth, route.knownService());
                response = handle(route, new CallContext(caller, auth.region()), request, requestId);
            } catch (AuthenticationException e) {
                response = route.protocol().authFailure(e.failure(), e.getMessage(), requestId);
            } catch (AccessDeniedException e) {
                response = route.protocol().accessDenied(e.getMessage(), requestId);
            } catch (AwsServiceException e) {
                response = route.protocol().error(e, requestId);
            } catch (UnknownOperationException e) {
                response = route.protocol().unknownOperation(route.action(), requestId);
            } catch (RuntimeException e) {
                System.err.println("aws-emulator: internal error in " + route.service() + ":" + route.action()
                        + ": " + e);
                response = route.protocol().internalFailure(requestId);
            }
            keeper.afterRequest();
        }
        return logged(request, route.service(), route.action(), caller, response);
    }

    private AwsResponse handle(Route route, CallContext call, AwsRequest request, String requestId) {
        FaultInjector.Fault fault = faults.faultFor(call.caller().accessKeyId()).orElse(null);
        if (fault == FaultInjector.Fault.THROTTLING || faults.throttleNow()) {
            return route.protocol().throttled(requestId);
        }
        if (fault == FaultInjector.Fault.INTERNAL_ERROR) {
            return route.protocol().internalFailure(requestId);
        }
        if (route.action() == null) {
            return route.protocol().unknownOperation(null, requestId);
        }
        if (faults.denies(route.service(), route.action(), request.source())) {
            return route.protocol().accessDenied("User: " + call.caller().arn() + " is not authorized to perform: "
                    + route.service() + ":" + route.action() + " from source address " + request.source().getHostAddress()
                    + " with an explicit deny", requestId);
        }
        if (route.protocol() == JSON) {
            JsonNode body = JsonProtocol.parseBody(request.body());
            return JSON.success(kms.handle(route.action(), call, new JsonParams(body)), requestId);
        }
        XmlWriter result = new XmlWriter();
        QueryService service = route.service().equals("sts") ? sts : iam;
        service.handle(route.action(), call, route.query(), result);
        return ((QueryProtocol) route.protocol()).success(route.action(), result, requestId);
    }

    /** For bodies rejected before they were read. */
    public AwsResponse tooLarge(AwsRequest headersOnly, long maxBytes) {
        return logged(headersOnly, "unknown", "unknown", null, guessProtocol(headersOnly).tooLarge(maxBytes, Ids.requestId()));
    }

    private Route route(AwsRequest request) {
        String target = request.header("x-amz-target");
        String contentType = request.header("content-type");
        if (target != null || contentType != null && contentType.contains("json")) {
            if (target != null && target.startsWith(KMS_TARGET_PREFIX)) {
                return new Route("kms", JSON, target.substring(KMS_TARGET_PREFIX.length()), null);
            }
            return new Route("unknown", JSON, null, null);
        }
        String body = new String(request.body(), StandardCharsets.UTF_8);
        QueryParams params = QueryParams.parse(request.rawQuery(), body);
        String version = params.get("Version");
        String service = version == null ? scopeService(request) : switch (version) {
            case "2010-05-08" -> "iam";
            case "2011-06-15" -> "sts";
            default -> throw new AwsServiceException("NoSuchVersion",
                    "The requested version (" + version + ") of service is not supported by this emulator.", 400);
        };
        String action = params.get("Action");
        if ("sts".equals(service)) {
            return new Route("sts", STS_XML, action, params);
        }
        return new Route("iam", IAM_XML, action, params);
    }

    private static String scopeService(AwsRequest request) {
        try {
            SigV4Verifier.ParsedAuthorization auth = SigV4Verifier.parse(request.header("authorization"));
            return auth == null ? null : auth.service();
        } catch (AuthenticationException e) {
            return null;
        }
    }

    private static WireProtocol guessProtocol(AwsRequest request) {
        String contentType = request.header("content-type");
        if (request.header("x-amz-target") != null || contentType != null && contentType.contains("json")) {
            return JSON;
        }
        return "sts".equals(scopeService(request)) ? STS_XML : IAM_XML;
    }

    private AwsResponse logged(AwsRequest request, String service, String action, Caller caller, AwsResponse response) {
        String keyId = caller != null ? caller.accessKeyId() : accessKeyIdOf(request);
        RequestLogEntry entry = new RequestLogEntry(clock.instant(), service, action == null ? "unknown" : action,
                caller == null ? null : caller.arn(), keyId, response.status(), response.outcome(),
                request.source() == null ? null : request.source().getHostAddress());
        log.record(entry);
        faults.holdIfAsked(entry, request);
        return response;
    }

    private static String accessKeyIdOf(AwsRequest request) {
        try {
            SigV4Verifier.ParsedAuthorization auth = SigV4Verifier.parse(request.header("authorization"));
            return auth == null ? null : auth.accessKeyId();
        } catch (AuthenticationException e) {
            return null;
        }
    }
}
