package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.state.IamRole;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.ManagedPolicy;

import java.util.List;
import java.util.Map;

/** Roles, as far as AssumeRole needs them: trust policy, inline and attached permissions. */
final class IamRoles {
    private final IamSupport iam;

    IamRoles(IamSupport iam) {
        this.iam = iam;
    }

    void register(Map<String, QueryHandler> routes) {
        routes.put("CreateRole", this::createRole);
        routes.put("GetRole", this::getRole);
        routes.put("ListRoles", this::listRoles);
        routes.put("DeleteRole", this::deleteRole);
        routes.put("AttachRolePolicy", this::attachRolePolicy);
        routes.put("DetachRolePolicy", this::detachRolePolicy);
        routes.put("ListAttachedRolePolicies", this::listAttachedRolePolicies);
        routes.put("PutRolePolicy", this::putRolePolicy);
        routes.put("GetRolePolicy", this::getRolePolicy);
        routes.put("ListRolePolicies", this::listRolePolicies);
        routes.put("DeleteRolePolicy", this::deleteRolePolicy);
    }

    private static void writeRole(XmlWriter out, IamRole role) {
        out.element("Path", role.path()).element("RoleName", role.name()).element("RoleId", role.roleId())
                .element("Arn", role.arn()).element("CreateDate", role.created())
                .element("AssumeRolePolicyDocument", IamSupport.urlEncode(role.trustPolicy()))
                .element("Description", role.description())
                .element("MaxSessionDuration", role.maxSessionDurationSeconds());
        if (!role.tags().isEmpty()) {
            out.tags("Tags", role.tags());
        }
    }

    private IamRole role(String name) {
        IamRole role = iam.state.roles().get(name);
        if (role == null) {
            throw IamErrors.noSuchEntity("The role with name " + name + " cannot be found.");
        }
        return role;
    }

    private void createRole(CallContext call, QueryParams params, XmlWriter out) {
        String name = IamSupport.name(params, "RoleName", 64);
        String path = IamSupport.path(params);
        String trustPolicy = params.required("AssumeRolePolicyDocument");
        String arn = iam.arn("role", path, name);
        iam.authorize(call, "CreateRole", arn);
        IamSupport.requireValidDocument(trustPolicy, PolicyKind.TRUST);
        Integer maxSession = params.integer("MaxSessionDuration");
        int maxSessionSeconds = maxSession == null ? 3600 : maxSession;
        if (maxSessionSeconds < 3600 || maxSessionSeconds > 43200) {
            throw IamErrors.validation("1 validation error detected: Value '" + maxSessionSeconds + "' at "
                    + "'maxSessionDuration' failed to satisfy constraint: Member must have value between 3600 and 43200");
        }
        if (iam.state.roles().keySet().stream().anyMatch(existing -> existing.equalsIgnoreCase(name))) {
            throw IamErrors.alreadyExists("Role with name " + name + " already exists.");
        }
        IamRole role = new IamRole(name, path, Ids.roleId(), arn, trustPolicy, params.get("Description"),
                maxSessionSeconds, iam.clock.instant(), Map.of(), List.of(), params.tags("Tags"));
        replace(role);
        out.start("Role");
        writeRole(out, role);
        out.end();
    }

    private void getRole(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        iam.authorize(call, "GetRole", role.arn());
        out.start("Role");
        writeRole(out, role);
        out.end();
    }

    private void listRoles(CallContext call, QueryParams params, XmlWriter out) {
        iam.authorize(call, "ListRoles", "*");
        String prefix = params.getOrDefault("PathPrefix", "/");
        List<IamRole> roles = iam.state.roles().values().stream().filter(r -> r.path().startsWith(prefix)).toList();
        IamSupport.page(out, "Roles", roles, params, role -> {
            out.start("member");
            writeRole(out, role);
            out.end();
        });
    }

    private void deleteRole(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        iam.authorize(call, "DeleteRole", role.arn());
        if (!role.inlinePolicies().isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
        }
        if (!role.attachedPolicyArns().isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
        }
        iam.state.roles().remove(role.name());
        iam.state.sessions().values().removeIf(s -> s.roleName().equals(role.name()));
        iam.state.changed();
    }

    private void attachRolePolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        ManagedPolicy policy = iam.policy(params.required("PolicyArn"));
        iam.authorize(call, "AttachRolePolicy", role.arn());
        replace(role.withAttached(policy.arn()));
    }

    private void detachRolePolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        String policyArn = params.required("PolicyArn");
        IamSupport.requireValidPolicyArn(policyArn);
        iam.authorize(call, "DetachRolePolicy", role.arn());
        if (!role.attachedPolicyArns().contains(policyArn)) {
            throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
        }
        replace(role.withoutAttached(policyArn));
    }

    private void listAttachedRolePolicies(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        iam.authorize(call, "ListAttachedRolePolicies", role.arn());
        List<ManagedPolicy> attached = role.attachedPolicyArns().stream().map(iam.state.policies()::get)
                .filter(p -> p != null).toList();
        IamSupport.page(out, "AttachedPolicies", attached, params, policy -> out.start("member")
                .element("PolicyName", policy.name()).element("PolicyArn", policy.arn()).end());
    }

    private void putRolePolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        String policyName = IamSupport.name(params, "PolicyName", 128);
        String document = params.required("PolicyDocument");
        iam.authorize(call, "PutRolePolicy", role.arn());
        IamSupport.requireValidDocument(document, PolicyKind.IDENTITY);
        replace(role.withInlinePolicy(policyName, document));
    }

    private void getRolePolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        String policyName = params.required("PolicyName");
        iam.authorize(call, "GetRolePolicy", role.arn());
        String document = role.inlinePolicies().get(policyName);
        if (document == null) {
            throw IamErrors.noSuchEntity("The role policy with name " + policyName + " cannot be found.");
        }
        out.element("RoleName", role.name()).element("PolicyName", policyName)
                .element("PolicyDocument", IamSupport.urlEncode(document));
    }

    private void listRolePolicies(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        iam.authorize(call, "ListRolePolicies", role.arn());
        IamSupport.page(out, "PolicyNames", List.copyOf(role.inlinePolicies().keySet()), params,
                name -> out.element("member", name));
    }

    private void deleteRolePolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamRole role = role(params.required("RoleName"));
        String policyName = params.required("PolicyName");
        iam.authorize(call, "DeleteRolePolicy", role.arn());
        if (!role.inlinePolicies().containsKey(policyName)) {
            throw IamErrors.noSuchEntity("The role policy with name " + policyName + " cannot be found.");
        }
        replace(role.withoutInlinePolicy(policyName));
    }

    private void replace(IamRole role) {
        iam.state.roles().put(role.name(), role);
        iam.state.changed();
    }
}
