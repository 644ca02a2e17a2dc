package io.vaultcfg.aws.emulator.policy;

import java.util.List;

/**
 * One policy statement. Exactly one of Action/NotAction is set ({@code notAction} says which), likewise for
 * Resource/NotResource; an empty {@code resources} with {@code notResource=false} means "no Resource element"
 * (trust policies). {@code principals} is null in identity policies.
 */
public record Statement(String sid, Effect effect, List<String> actions, boolean notAction, List<String> resources,
                        boolean notResource, Principals principals, boolean notPrincipal, List<Condition> conditions) {

    public boolean coversAction(String action) {
        boolean listed = actions.stream().anyMatch(pattern -> Glob.matches(pattern, action, true));
        return notAction != listed;
    }

    public boolean coversResource(String resource) {
        if (resources.isEmpty() && !notResource) {
            return true;
        }
        boolean listed = resources.stream().anyMatch(pattern -> Glob.matches(pattern, resource, false));
        return notResource != listed;
    }

    /**
     * Whether the conditions let this statement apply. Unsupported operators make an Allow inapplicable and a
     * Deny applicable: the conservative choice in both directions.
     */
    public boolean conditionsHold(RequestContext context) {
        for (Condition condition : conditions) {
            if (!condition.supported()) {
                return effect == Effect.Deny;
            }
            if (!condition.holds(context)) {
                return false;
            }
        }
        return true;
    }

    public boolean applies(String action, String resource, RequestContext context) {
        return coversAction(action) && coversResource(resource) && conditionsHold(context);
    }
}
