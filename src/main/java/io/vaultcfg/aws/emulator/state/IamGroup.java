package io.vaultcfg.aws.emulator.state;

import java.time.Instant;
import java.util.List;

/** An IAM group and the names of its member users (its own policies are not emulated). */
public record IamGroup(String name, String path, String groupId, String arn, Instant created, List<String> members) {

    public IamGroup {
        members = Collections2.listCopy(members);
    }

    public IamGroup withMember(String userName) {
        return new IamGroup(name, path, groupId, arn, created, Collections2.with(members, userName));
    }

    public IamGroup withoutMember(String userName) {
        return new IamGroup(name, path, groupId, arn, created, Collections2.without(members, userName));
    }
}
