package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.state.Ids;
import io.vaultcfg.aws.emulator.state.ManagedPolicy;
import io.vaultcfg.aws.emulator.state.PolicyVersion;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Customer-managed policies and their versions (at most five, one default). */
final class IamPolicies {
    private static final int MAX_POLICY_SIZE = 6144;

    private final IamSupport iam;

    IamPolicies(IamSupport iam) {
        this.iam = iam;
    }

    void register(Map<String, QueryHandler> routes) {
        routes.put("CreatePolicy", this::createPolicy);
        routes.put("GetPolicy", this::getPolicy);
        routes.put("ListPolicies", this::listPolicies);
        routes.put("DeletePolicy", this::deletePolicy);
        routes.put("CreatePolicyVersion", this::createPolicyVersion);
        routes.put("GetPolicyVersion", this::getPolicyVersion);
        routes.put("ListPolicyVersions", this::listPolicyVersions);
        routes.put("DeletePolicyVersion", this::deletePolicyVersion);
        routes.put("SetDefaultPolicyVersion", this::setDefaultPolicyVersion);
    }

    private void writePolicy(XmlWriter out, ManagedPolicy policy, boolean full) {
        out.element("PolicyName", policy.name()).element("PolicyId", policy.policyId()).element("Arn", policy.arn())
                .element("Path", policy.path()).element("DefaultVersionId", policy.defaultVersionId())
                .element("AttachmentCount", iam.state.attachmentCount(policy.arn()))
                .element("PermissionsBoundaryUsageCount", 0).element("IsAttachable", true);
        if (full && policy.description() != null) {
            out.element("Description", policy.description());
        }
        out.element("CreateDate", policy.created()).element("UpdateDate", policy.updated());
        if (full && !policy.tags().isEmpty()) {
            out.tags("Tags", policy.tags());
        }
    }

    private static void writeVersion(XmlWriter out, ManagedPolicy policy, PolicyVersion version, boolean withDocument) {
        if (withDocument) {
            out.element("Document", IamSupport.urlEncode(version.document()));
        }
        out.element("VersionId", version.versionId())
                .element("IsDefaultVersion", version.versionId().equals(policy.defaultVersionId()))
                .element("CreateDate", version.created());
    }

    private static void requireValidManagedDocument(String document) {
        IamSupport.requireValidDocument(document, PolicyKind.IDENTITY);
        if (IamSupport.policySize(document) > MAX_POLICY_SIZE) {
            throw IamErrors.limitExceeded("Cannot exceed quota for PolicySize: " + MAX_POLICY_SIZE);
        }
    }

    private void createPolicy(CallContext call, QueryParams params, XmlWriter out) {
        String name = IamSupport.name(params, "PolicyName", 128);
        String path = IamSupport.path(params);
        String document = params.required("PolicyDocument");
        String arn = iam.arn("policy", path, name);
        iam.authorize(call, "CreatePolicy", arn);
        requireValidManagedDocument(document);
        boolean nameTaken = iam.state.policies().values().stream().anyMatch(p -> p.name().equalsIgnoreCase(name));
        if (nameTaken) {
            throw IamErrors.alreadyExists("A policy called " + name + " already exists. Duplicate names are not allowed.");
        }
        Instant now = iam.clock.instant();
        ManagedPolicy policy = new ManagedPolicy(name, Ids.policyId(), arn, path, params.get("Description"), now, now,
                "v1", 2, List.of(new PolicyVersion("v1", document, now)), params.tags("Tags"));
        iam.state.policies().put(arn, policy);
        iam.state.changed();
        out.start("Policy");
        writePolicy(out, policy, true);
        out.end();
    }

    private void getPolicy(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        iam.authorize(call, "GetPolicy", policy.arn());
        out.start("Policy");
        writePolicy(out, policy, true);
        out.end();
    }

    private void listPolicies(CallContext call, QueryParams params, XmlWriter out) {
        iam.authorize(call, "ListPolicies", "*");
        String scope = params.getOrDefault("Scope", "All");
        if (!List.of("All", "AWS", "Local").contains(scope)) {
            throw IamErrors.validation("1 validation error detected: Value '" + scope
                    + "' at 'scope' failed to satisfy constraint: Member must satisfy enum value set: [All, AWS, Local]");
        }
        String prefix = params.getOrDefault("PathPrefix", "/");
        boolean onlyAttached = params.flag("OnlyAttached");
        // The emulator has no AWS-managed policies, so Scope=AWS lists nothing.
        List<ManagedPolicy> policies = scope.equals("AWS") ? List.of() : iam.state.policies().values().stream()
                .filter(p -> p.path().startsWith(prefix))
                .filter(p -> !onlyAttached || iam.state.attachmentCount(p.arn()) > 0).toList();
        IamSupport.page(out, "Policies", policies, params, policy -> {
            out.start("member");
            writePolicy(out, policy, false);
            out.end();
        });
    }

    private void deletePolicy(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        iam.authorize(call, "DeletePolicy", policy.arn());
        if (iam.state.attachmentCount(policy.arn()) > 0) {
            throw IamErrors.deleteConflict("Cannot delete a policy attached to entities.");
        }
        if (policy.versions().size() > 1) {
            throw IamErrors.deleteConflict("This policy has more than one version. Before you delete a policy, you must "
                    + "delete the policy's versions. The default version is deleted with the policy.");
        }
        iam.state.policies().remove(policy.arn());
        iam.state.changed();
    }

    private void createPolicyVersion(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        String document = params.required("PolicyDocument");
        iam.authorize(call, "CreatePolicyVersion", policy.arn());
        requireValidManagedDocument(document);
        if (policy.versions().size() >= ManagedPolicy.MAX_VERSIONS) {
            throw IamErrors.limitExceeded("A managed policy can have up to " + ManagedPolicy.MAX_VERSIONS
                    + " versions. Before you create a new version, you must delete an existing version.");
        }
        ManagedPolicy updated = policy.withNewVersion(document, params.flag("SetAsDefault"), iam.clock.instant());
        replace(updated);
        out.start("PolicyVersion");
        writeVersion(out, updated, updated.versions().get(updated.versions().size() - 1), false);
        out.end();
    }

    private void getPolicyVersion(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        String versionId = versionId(params);
        iam.authorize(call, "GetPolicyVersion", policy.arn());
        PolicyVersion version = version(policy, versionId);
        out.start("PolicyVersion");
        writeVersion(out, policy, version, true);
        out.end();
    }

    private void listPolicyVersions(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        iam.authorize(call, "ListPolicyVersions", policy.arn());
        List<PolicyVersion> newestFirst = policy.versions().stream()
                .sorted((a, b) -> Integer.compare(number(b), number(a))).toList();
        IamSupport.page(out, "Versions", newestFirst, params, version -> {
            out.start("member");
            writeVersion(out, policy, version, false);
            out.end();
        });
    }

    private void deletePolicyVersion(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        String versionId = versionId(params);
        iam.authorize(call, "DeletePolicyVersion", policy.arn());
        version(policy, versionId);
        if (versionId.equals(policy.defaultVersionId())) {
            throw IamErrors.deleteConflict("Cannot delete the default version of a policy.");
        }
        replace(policy.withoutVersion(versionId));
    }

    private void setDefaultPolicyVersion(CallContext call, QueryParams params, XmlWriter out) {
        ManagedPolicy policy = existing(params.required("PolicyArn"));
        String versionId = versionId(params);
        iam.authorize(call, "SetDefaultPolicyVersion", policy.arn());
        version(policy, versionId);
        replace(policy.withDefaultVersion(versionId, iam.clock.instant()));
    }

    private ManagedPolicy existing(String policyArn) {
        IamSupport.requireValidPolicyArn(policyArn);
        ManagedPolicy policy = iam.state.policies().get(policyArn);
        if (policy == null || !iam.propagated(policy.created())) {
            throw IamErrors.noSuchEntity("Policy " + policyArn + " was not found.");
        }
        return policy;
    }

    private static String versionId(QueryParams params) {
        String versionId = params.required("VersionId");
        if (!versionId.matches("v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?")) {
            throw IamErrors.validation("1 validation error detected: Value '" + versionId + "' at 'versionId' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?");
        }
        return versionId;
    }

    private static PolicyVersion version(ManagedPolicy policy, String versionId) {
        return policy.version(versionId).orElseThrow(() -> IamErrors.noSuchEntity(
                "Policy " + policy.arn() + " version " + versionId + " does not exist or is not attachable."));
    }

    private static int number(PolicyVersion version) {
        String digits = version.versionId().substring(1).split("\\.")[0];
        return Integer.parseInt(digits);
    }

    private void replace(ManagedPolicy policy) {
        iam.state.policies().put(policy.arn(), policy);
        iam.state.changed();
    }
}
