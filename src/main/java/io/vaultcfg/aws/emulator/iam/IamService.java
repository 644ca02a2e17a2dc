package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.QueryService;
import io.vaultcfg.aws.emulator.http.UnknownOperationException;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.state.EmulatorState;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** IAM over awsQuery: routes each action to the group that owns it. Call with the state's lock held. */
public final class IamService implements QueryService {
    private final Map<String, QueryHandler> routes = new HashMap<>();

    /** @param propagationDelay how long a new user or managed policy answers NoSuchEntity to the calls that name it */
    public IamService(EmulatorState state, Authorizer authorizer, Clock clock, Duration propagationDelay) {
        IamSupport support = new IamSupport(state, authorizer, clock, propagationDelay);
        new IamUsers(support).register(routes);
        new IamPolicies(support).register(routes);
        new IamAccessKeys(support).register(routes);
        new IamRoles(support).register(routes);
        new IamGroups(support).register(routes);
        new IamSimulation(support).register(routes);
    }

    @Override
    public void handle(String action, CallContext call, QueryParams params, XmlWriter result) {
        QueryHandler handler = routes.get(action);
        if (handler == null) {
            throw new UnknownOperationException(action);
        }
        handler.handle(call, params, result);
    }
}
