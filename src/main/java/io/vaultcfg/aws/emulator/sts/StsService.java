package io.vaultcfg.aws.emulator.sts;

import io.vaultcfg.aws.emulator.auth.AccessDeniedException;
import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.QueryService;
import io.vaultcfg.aws.emulator.http.UnknownOperationException;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.policy.MalformedPolicyException;
import io.vaultcfg.aws.emulator.policy.PolicyDocument;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.IamRole;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.RoleSession;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * STS: GetCallerIdentity (always allowed, as in AWS) and AssumeRole, which issues {@code ASIA...} credentials with a
 * session token that the emulator then accepts. Call with the state's lock held.
 */
public final class StsService implements QueryService {
    private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

    private final EmulatorState state;
    private final Authorizer authorizer;
    private final Clock clock;

    public StsService(EmulatorState state, Authorizer authorizer, Clock clock) {
        this.state = state;
        this.authorizer = authorizer;
        this.clock = clock;
    }

    @Override
    public void handle(String action, CallContext call, QueryParams params, XmlWriter result) {
        switch (action) {
            case "GetCallerIdentity" -> getCallerIdentity(call.caller(), result);
            case "AssumeRole" -> assumeRole(call.caller(), params, result);
            default -> throw new UnknownOperationException(action);
        }
    }

    private static void getCallerIdentity(Caller caller, XmlWriter out) {
        out.element("Arn", caller.arn()).element("UserId", caller.userId()).element("Account", caller.accountId());
    }

    private void assumeRole(Caller caller, QueryParams params, XmlWriter out) {
        String roleArn = params.required("RoleArn");
        String sessionName = params.required("RoleSessionName");
        if (!SESSION_NAME.matcher(sessionName).matches()) {
            throw validation("Value '" + sessionName + "' at 'roleSessionName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [\\w+=,.@-]*");
        }
        String sessionPolicy = params.get("Policy");
        if (sessionPolicy != null) {
            try {
                PolicyDocument.parse(sessionPolicy, PolicyKind.IDENTITY);
            } catch (MalformedPolicyException e) {
                throw new AwsServiceException("MalformedPolicyDocument", e.getMessage(), 400);
            }
        }
        IamRole role = state.roles().values().stream().filter(r -> r.arn().equals(roleArn)).findFirst().orElse(null);
        if (role == null) {
            throw AccessDeniedException.of(caller, "sts:AssumeRole", roleArn, "");
        }
        RequestContext context = new RequestContext().put("sts:ExternalId", params.get("ExternalId"))
                .put("sts:RoleSessionName", sessionName);
        authorizer.require(caller, "sts:AssumeRole", role.arn(), role.trustPolicy(), PolicyKind.TRUST, context);
        Integer requested = params.integer("DurationSeconds");
        int seconds = requested == null ? 3600 : requested;
        int maximum = caller.kind() == Caller.Kind.ASSUMED_ROLE ? 3600 : role.maxSessionDurationSeconds();
        if (seconds < 900) {
            throw validation("1 validation error detected: Value '" + seconds + "' at 'durationSeconds' failed to "
                    + "satisfy constraint: Member must have value greater than or equal to 900");
        }
        if (seconds > maximum) {
            throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
        }
        Instant now = clock.instant();
        state.dropExpiredSessions(now);
        RoleSession session = new RoleSession(Ids.temporaryAccessKeyId(), Ids.secretAccessKey(), Ids.sessionToken(),
                role.name(), sessionName, sessionPolicy, now.plus(Duration.ofSeconds(seconds)));
        state.sessions().put(session.accessKeyId(), session);
        state.changed();
        out.start("Credentials").element("AccessKeyId", session.accessKeyId())
                .element("SecretAccessKey", session.secretAccessKey()).element("SessionToken", session.sessionToken())
                .element("Expiration", session.expiration()).end();
        out.start("AssumedRoleUser").element("AssumedRoleId", role.roleId() + ":" + sessionName)
                .element("Arn", "arn:aws:sts::" + state.accountId() + ":assumed-role/" + role.name() + "/" + sessionName)
                .end();
    }

    private static AwsServiceException validation(String message) {
        return new AwsServiceException("ValidationError", message, 400);
    }
}
