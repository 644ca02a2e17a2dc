package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.state.AccessKey;
import io.vaultcfg.aws.emulator.state.IamUser;
import io.vaultcfg.aws.emulator.state.Ids;

import java.util.Map;

/** Long-term access keys: at most two per user (inactive ones count), and when each was last used. */
final class IamAccessKeys {
    private static final int KEYS_PER_USER = 2;

    private final IamSupport iam;

    IamAccessKeys(IamSupport iam) {
        this.iam = iam;
    }

    void register(Map<String, QueryHandler> routes) {
        routes.put("CreateAccessKey", this::createAccessKey);
        routes.put("ListAccessKeys", this::listAccessKeys);
        routes.put("UpdateAccessKey", this::updateAccessKey);
        routes.put("DeleteAccessKey", this::deleteAccessKey);
        routes.put("GetAccessKeyLastUsed", this::getAccessKeyLastUsed);
    }

    private void createAccessKey(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        iam.authorize(call, "CreateAccessKey", user.arn());
        if (iam.state.accessKeysOf(user.name()).size() >= KEYS_PER_USER) {
            throw IamErrors.limitExceeded("Cannot exceed quota for AccessKeysPerUser: " + KEYS_PER_USER);
        }
        AccessKey key = new AccessKey(Ids.accessKeyId(), Ids.secretAccessKey(), user.name(), true,
                iam.clock.instant(), null);
        iam.state.accessKeys().put(key.accessKeyId(), key);
        iam.state.changed();
        // The one and only place a secret leaves the emulator, as in AWS.
        out.start("AccessKey").element("UserName", key.userName()).element("AccessKeyId", key.accessKeyId())
                .element("Status", "Active").element("SecretAccessKey", key.secretAccessKey())
                .element("CreateDate", key.created()).end();
    }

    private void listAccessKeys(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        iam.authorize(call, "ListAccessKeys", user.arn());
        IamSupport.page(out, "AccessKeyMetadata", iam.state.accessKeysOf(user.name()), params, key -> out.start("member")
                .element("UserName", key.userName()).element("AccessKeyId", key.accessKeyId())
                .element("Status", key.active() ? "Active" : "Inactive").element("CreateDate", key.created()).end());
    }

    private void updateAccessKey(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        AccessKey key = keyOf(user, params.required("AccessKeyId"));
        String status = params.required("Status");
        if (!status.equals("Active") && !status.equals("Inactive")) {
            throw IamErrors.validation("1 validation error detected: Value '" + status + "' at 'status' failed to "
                    + "satisfy constraint: Member must satisfy enum value set: [Active, Inactive]");
        }
        iam.authorize(call, "UpdateAccessKey", user.arn());
        iam.state.accessKeys().put(key.accessKeyId(), key.withActive(status.equals("Active")));
        iam.state.changed();
    }

    private void deleteAccessKey(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.userOrCaller(call, params);
        AccessKey key = keyOf(user, params.required("AccessKeyId"));
        iam.authorize(call, "DeleteAccessKey", user.arn());
        iam.state.accessKeys().remove(key.accessKeyId());
        iam.state.changed();
    }

    private void getAccessKeyLastUsed(CallContext call, QueryParams params, XmlWriter out) {
        String keyId = params.required("AccessKeyId");
        AccessKey key = iam.state.accessKeys().get(keyId);
        if (key == null) {
            throw IamErrors.noSuchEntity("The Access Key with id " + keyId + " cannot be found");
        }
        IamUser user = iam.user(key.userName());
        iam.authorize(call, "GetAccessKeyLastUsed", user.arn());
        out.element("UserName", user.name()).start("AccessKeyLastUsed");
        if (key.lastUsed() == null) {
            out.element("ServiceName", "N/A").element("Region", "N/A");
        } else {
            out.element("LastUsedDate", key.lastUsed().date()).element("ServiceName", key.lastUsed().serviceName())
                    .element("Region", key.lastUsed().region());
        }
        out.end();
    }

    private AccessKey keyOf(IamUser user, String keyId) {
        AccessKey key = iam.state.accessKeys().get(keyId);
        if (key == null || !key.userName().equals(user.name())) {
            throw IamErrors.noSuchEntity("The Access Key with id " + keyId + " cannot be found");
        }
        return key;
    }
}
