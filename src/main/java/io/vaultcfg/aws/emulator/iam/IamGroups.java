package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.state.IamGroup;
import io.vaultcfg.aws.emulator.state.IamUser;
import io.vaultcfg.aws.emulator.state.Ids;

import java.util.List;
import java.util.Map;

/**
 * Groups and their members: enough for an audit to see that a user is in a group. A group's own policies are not
 * emulated, so membership grants nothing here.
 */
final class IamGroups {
    private final IamSupport iam;

    IamGroups(IamSupport iam) {
        this.iam = iam;
    }

    void register(Map<String, QueryHandler> routes) {
        routes.put("CreateGroup", this::createGroup);
        routes.put("GetGroup", this::getGroup);
        routes.put("DeleteGroup", this::deleteGroup);
        routes.put("AddUserToGroup", this::addUserToGroup);
        routes.put("RemoveUserFromGroup", this::removeUserFromGroup);
        routes.put("ListGroupsForUser", this::listGroupsForUser);
    }

    private static void writeGroup(XmlWriter out, IamGroup group) {
        out.element("Path", group.path()).element("GroupName", group.name()).element("GroupId", group.groupId())
                .element("Arn", group.arn()).element("CreateDate", group.created());
    }

    private IamGroup group(String name) {
        IamGroup group = iam.state.groups().get(name);
        if (group == null) {
            throw IamErrors.noSuchEntity("The group with name " + name + " cannot be found.");
        }
        return group;
    }

    private void createGroup(CallContext call, QueryParams params, XmlWriter out) {
        String name = IamSupport.name(params, "GroupName", 128);
        String path = IamSupport.path(params);
        String arn = iam.arn("group", path, name);
        iam.authorize(call, "CreateGroup", arn);
        if (iam.state.groups().keySet().stream().anyMatch(existing -> existing.equalsIgnoreCase(name))) {
            throw IamErrors.alreadyExists("Group with name " + name + " already exists.");
        }
        IamGroup group = new IamGroup(name, path, Ids.groupId(), arn, iam.clock.instant(), List.of());
        iam.state.groups().put(name, group);
        iam.state.changed();
        out.start("Group");
        writeGroup(out, group);
        out.end();
    }

    private void getGroup(CallContext call, QueryParams params, XmlWriter out) {
        IamGroup group = group(params.required("GroupName"));
        iam.authorize(call, "GetGroup", group.arn());
        out.start("Group");
        writeGroup(out, group);
        out.end();
        List<IamUser> members = group.members().stream().map(iam.state.users()::get).filter(user -> user != null).toList();
        IamSupport.page(out, "Users", members, params, user -> {
            out.start("member");
            IamUsers.writeUser(out, user, false);
            out.end();
        });
    }

    private void deleteGroup(CallContext call, QueryParams params, XmlWriter out) {
        IamGroup group = group(params.required("GroupName"));
        iam.authorize(call, "DeleteGroup", group.arn());
        if (!group.members().isEmpty()) {
            throw IamErrors.deleteConflict("Cannot delete entity, must remove users from group first.");
        }
        iam.state.groups().remove(group.name());
        iam.state.changed();
    }

    private void addUserToGroup(CallContext call, QueryParams params, XmlWriter out) {
        IamGroup group = group(params.required("GroupName"));
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "AddUserToGroup", group.arn());
        iam.state.groups().put(group.name(), group.withMember(user.name()));
        iam.state.changed();
    }

    private void removeUserFromGroup(CallContext call, QueryParams params, XmlWriter out) {
        IamGroup group = group(params.required("GroupName"));
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "RemoveUserFromGroup", group.arn());
        if (!group.members().contains(user.name())) {
            throw IamErrors.noSuchEntity("User " + user.name() + " is not in group " + group.name() + ".");
        }
        iam.state.groups().put(group.name(), group.withoutMember(user.name()));
        iam.state.changed();
    }

    private void listGroupsForUser(CallContext call, QueryParams params, XmlWriter out) {
        IamUser user = iam.user(params.required("UserName"));
        iam.authorize(call, "ListGroupsForUser", user.arn());
        IamSupport.page(out, "Groups", iam.state.groupsOf(user.name()), params, group -> {
            out.start("member");
            writeGroup(out, group);
            out.end();
        });
    }
}
