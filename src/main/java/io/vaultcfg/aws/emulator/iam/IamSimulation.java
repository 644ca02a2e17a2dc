package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.policy.Decision;
import io.vaultcfg.aws.emulator.policy.RequestContext;
import io.vaultcfg.aws.emulator.state.IamRole;
import io.vaultcfg.aws.emulator.state.IamUser;

import java.util.List;
import java.util.Map;

/** SimulatePrincipalPolicy: the identity-policy decision the emulator itself enforces, for a user or role. */
final class IamSimulation {
    private final IamSupport iam;

    IamSimulation(IamSupport iam) {
        this.iam = iam;
    }

    void register(Map<String, QueryHandler> routes) {
        routes.put("SimulatePrincipalPolicy", this::simulatePrincipalPolicy);
    }

    private void simulatePrincipalPolicy(CallContext call, QueryParams params, XmlWriter out) {
        String sourceArn = params.required("PolicySourceArn");
        List<String> actions = params.members("ActionNames");
        if (actions.isEmpty()) {
            throw QueryParams.missing("ActionNames");
        }
        List<String> resources = params.members("ResourceArns");
        iam.authorize(call, "SimulatePrincipalPolicy", sourceArn);
        Caller principal = principal(sourceArn);
        List<String> evaluated = resources.isEmpty() ? List.of("*") : resources;
        out.start("EvaluationResults");
        for (String action : actions) {
            for (String resource : evaluated) {
                Decision decision = iam.authorizer.identityDecision(principal, action, resource, new RequestContext()
                        .put("aws:username", principal.kind() == Caller.Kind.USER ? principal.name() : null));
                out.start("member").element("EvalActionName", action).element("EvalResourceName", resource)
                        .element("EvalDecision", switch (decision) {
                            case ALLOW -> "allowed";
                            case EXPLICIT_DENY -> "explicitDeny";
                            case IMPLICIT_DENY -> "implicitDeny";
                        }).start("MatchedStatements").end().start("MissingContextValues").end().end();
            }
        }
        out.end().element("IsTruncated", false);
    }

    private Caller principal(String arn) {
        for (IamUser user : iam.state.users().values()) {
            if (user.arn().equals(arn)) {
                return new Caller(Caller.Kind.USER, user.arn(), user.userId(), iam.state.accountId(), null, user.name(), null);
            }
        }
        for (IamRole role : iam.state.roles().values()) {
            if (role.arn().equals(arn)) {
                return new Caller(Caller.Kind.ASSUMED_ROLE, role.arn(), role.roleId(), iam.state.accountId(), null,
                        role.name(), null);
            }
        }
        if (!arn.startsWith("arn:")) {
            throw IamErrors.invalidInput("Invalid ARN: " + arn);
        }
        throw IamErrors.noSuchEntity("Entity " + arn + " does not exist.");
    }
}
