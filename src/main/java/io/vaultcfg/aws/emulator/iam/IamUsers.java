package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.state.IamUser;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.LoginProfile;
import io.vaultcfg.aws.emulator.state.ManagedPolicy;

import java.util.List;
import java.util.Map;

/** Users, their tags, login profiles, inline policies and managed-policy attachments. */
final class IamUsers {
    private static final int MAX_INLINE_POLICY_SIZE = 2048;

    private final IamSupport iam;

    IamUsers(IamSupport iam) {
        this.iam = iam;
    }

    void register(Map<String, QueryHandler> routes) {
        routes.put("CreateUser", this::createUser);
        routes.put("GetUser", this::getUser);
        routes.put("ListUsers", this::listUsers);
        routes.put("DeleteUser", this::deleteUser);
        routes.put("TagUser", this::tagUser);
        routes.put("UntagUser", this::untagUser);
        routes.put("ListUserTags", this::listUserTags);
        routes.put("CreateLoginProfile", this::createLoginProfile);
        routes.put("GetLoginProfile", this::getLoginProfile);
        routes.put("DeleteLoginProfile", this::deleteLoginProfile);
        routes.put("PutUserPolicy", this::putUserPolicy);
        routes.put("GetUserPolicy", this::getUserPolicy);
        routes.put("ListUserPolicies", this::listUserPolicies);
        routes.put("DeleteUserPolicy", this::deleteUserPolicy);
        routes.put("AttachUserPolicy", this::attachUserPolicy);
        routes.put("DetachUserPolicy", this::detachUserPolicy);
        routes.put("ListAttachedUserPolicies", this::listAttachedUserPolicies);
    }

    static void writeUser(XmlWriter out, IamUser user, boolean withTags) {
        out.element("Path", user.path()).element("UserName", user.name()).element("UserId", user.userId())
                .element("Arn", user.arn()).element("CreateDate", user.created());
        if (withTags && !user.tags().isEmpty()) {
            out.tags("Tags", user.tags());
        }
    }

    private void createUser(CallContext call, QueryParams params, XmlWriter out) {
        String name = IamSupport.name(params, "UserName", 64);
        String path = IamSupport.path(params);
        String arn = iam.arn("user", path, name);
        iam.authorize(call, "CreateUser", arn);
        Map<String, String> tags = IamTags.requested(params);
        if (!tags.isEmpty()) {
            // IAM authorizes the tags of a new user as a TagUser call on it.
            iam.authorize(call, "TagUser", arn);
        }
        if (iam.state.users().keySet().stream().anyMatch(existing -> existing.equalsIgnoreCase(name))) {
            throw IamErrors.alreadyExists("User with name " + name + " already exists.");
        }
        IamUser user = new IamUser(name, path, Ids.userId(), arn, iam.clock.instant(), tags, Map.of(), List.of(), null);
        iam.state.users().put(name, user);
        iam.state.changed();
        out.start("User");
        writeUser(out, user, true);
        out.end();
    }

    private void getUser(CallContext call, QueryParams params, XmlWriter out) {
        String name = params.get("UserName");
        Caller caller = call.caller();
        if ((name == null || name.isEmpty()) && caller.isRoot()) {
            out.start("User").element("UserId", caller.accountId()).element("Arn", caller.arn()).end();
            return;
        }
        IamUser user = iam.userOrCaller(call, params);
        iam.authorize(call, "GetUser", user.arn());
        out.start("User");
        writeUser(out, user, true);
        out.end();
    }

    private void listUsers(CallContext call, QueryParams params, XmlWriter out) {
        iam.authorize(call, "ListUsers", "*");
        String prefix = params.getOrDefault("PathPrefix", "/");
        List<IamUser> users = iam.state.users().values().stream().filter(u -> u.path().startsWith(prefix)).toList();
        IamSupport.page(out, "Users", users, params, user -> {
            out.start("member");
            writeUser(out, user, false);
            out.end();
        });
    }

    private void deleteUser(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "DeleteUser", user.arn());
        if (!iam.state.accessKeysOf(user.name()).isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must delete access keys first.");
        }
        if (user.loginProfile() != null) {
            throw IamErrors.deleteConflict("Cannot delete entity, must delete login profile first.");
        }
        if (!user.inlinePolicies().isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must delete policies first.");
        }
        if (!user.attachedPolicyArns().isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must detach all policies first.");
        }
        if (!iam.state.groupsOf(user.name()).isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
        }
        iam.state.users().remove(user.name());
        iam.state.changed();
    }

    private void tagUser(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "TagUser", user.arn());
        Map<String, String> added = IamTags.requested(params);
        if (added.isEmpty()) {
            throw QueryParams.missing("Tags");
        }
        replace(user.withTags(IamTags.merge(user.tags(), added)));
    }

    private void untagUser(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "UntagUser", user.arn());
        List<String> keys = params.members("TagKeys");
        if (keys.isEmpty()) {
            throw QueryParams.missing("TagKeys");
        }
        replace(user.withTags(IamTags.without(user.tags(), keys)));
    }

    private void listUserTags(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "ListUserTags", user.arn());
        IamSupport.page(out, "Tags", List.copyOf(user.tags().entrySet()), params,
                tag -> out.start("member").element("Key", tag.getKey()).element("Value", tag.getValue()).end());
    }

    // ---- login profiles (the password is checked for presence, never stored or echoed) ----

    private void createLoginProfile(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        iam.authorize(call, "CreateLoginProfile", user.arn());
        String password = params.get("Password");
        if (password == null || password.isEmpty()) {
            throw QueryParams.missing("Password");
        }
        if (user.loginProfile() != null) {
            throw IamErrors.alreadyExists("Login Profile for user " + user.name() + " already exists.");
        }
        LoginProfile profile = new LoginProfile(iam.clock.instant(), params.flag("PasswordResetRequired"));
        replace(user.withLoginProfile(profile));
        writeLoginProfile(out, user.name(), profile);
    }

    private void getLoginProfile(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        iam.authorize(call, "GetLoginProfile", user.arn());
        writeLoginProfile(out, user.name(), requireLoginProfile(user));
    }

    private void deleteLoginProfile(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        iam.authorize(call, "DeleteLoginProfile", user.arn());
        requireLoginProfile(user);
        replace(user.withLoginProfile(null));
    }

    private static LoginProfile requireLoginProfile(IamUser user) {
        if (user.loginProfile() == null) {
            throw IamErrors.noSuchEntity("Login Profile for User " + user.name() + " cannot be found.");
        }
        return user.loginProfile();
    }

    private static void writeLoginProfile(XmlWriter out, String userName, LoginProfile profile) {
        out.start("LoginProfile").element("UserName", userName).element("CreateDate", profile.created())
                .element("PasswordResetRequired", profile.passwordResetRequired()).end();
    }

    // ---- inline policies ----

    private void putUserPolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        String policyName = IamSupport.name(params, "PolicyName", 128);
        String document = params.required("PolicyDocument");
        iam.authorize(call, "PutUserPolicy", user.arn());
        IamSupport.requireValidDocument(document, PolicyKind.IDENTITY);
        int total = user.inlinePolicies().entrySet().stream().filter(e -> !e.getKey().equals(policyName))
                .mapToInt(e -> IamSupport.policySize(e.getValue())).sum() + IamSupport.policySize(document);
        if (total > MAX_INLINE_POLICY_SIZE) {
            throw IamErrors.limitExceeded("Maximum policy size of " + MAX_INLINE_POLICY_SIZE
                    + " bytes exceeded for user " + user.name());
        }
        replace(user.withInlinePolicy(policyName, document));
    }

    private void getUserPolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        String policyName = params.required("PolicyName");
        iam.authorize(call, "GetUserPolicy", user.arn());
        String document = user.inlinePolicies().get(policyName);
        if (document == null) {
            throw IamErrors.noSuchEntity("The user policy with name " + policyName + " cannot be found.");
        }
        out.element("UserName", user.name()).element("PolicyName", policyName)
                .element("PolicyDocument", IamSupport.urlEncode(document));
    }

    private void listUserPolicies(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "ListUserPolicies", user.arn());
        IamSupport.page(out, "PolicyNames", List.copyOf(user.inlinePolicies().keySet()), params,
                name -> out.element("member", name));
    }

    private void deleteUserPolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        String policyName = params.required("PolicyName");
        iam.authorize(call, "DeleteUserPolicy", user.arn());
        if (!user.inlinePolicies().containsKey(policyName)) {
            throw IamErrors.noSuchEntity("The user policy with name " + policyName + " cannot be found.");
        }
        replace(user.withoutInlinePolicy(policyName));
    }

    // ---- managed policy attachments ----

    private void attachUserPolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        ManagedPolicy policy = iam.policy(params.required("PolicyArn"));
        iam.authorize(call, "AttachUserPolicy", user.arn());
        if (!user.attachedPolicyArns().contains(policy.arn()) && user.attachedPolicyArns().size() >= 20) {
            throw IamErrors.limitExceeded("Cannot exceed quota for PoliciesPerUser: 20");
        }
        replace(user.withAttached(policy.arn()));
    }

    private void detachUserPolicy(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        String policyArn = params.required("PolicyArn");
        IamSupport.requireValidPolicyArn(policyArn);
        iam.authorize(call, "DetachUserPolicy", user.arn());
        if (!user.attachedPolicyArns().contains(policyArn)) {
            throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
        }
        replace(user.withoutAttached(policyArn));
    }

    private void listAttachedUserPolicies(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "ListAttachedUserPolicies", user.arn());
        String prefix = params.getOrDefault("PathPrefix", "/");
        List<ManagedPolicy> attached = user.attachedPolicyArns().stream().map(iam.state.policies()::get)
                .filter(p -> p != null && p.path().startsWith(prefix)).toList();
        IamSupport.page(out, "AttachedPolicies", attached, params, policy -> out.start("member")
                .element("PolicyName", policy.name()).element("PolicyArn", policy.arn()).end());
    }

    private void replace(IamUser user) {
        iam.state.users().put(user.name(), user);
        iam.state.changed();
    }
}
