package io.vaultcfg.aws.emulator.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A customer-managed policy with up to five versions, one of them the default. */
public record ManagedPolicy(String name, String policyId, String arn, String path, String description, Instant created,
                            Instant updated, String defaultVersionId, int nextVersionNumber,
                            List<PolicyVersion> versions, Map<String, String> tags) {

    public static final int MAX_VERSIONS = 5;

    public ManagedPolicy {
        versions = Collections2.listCopy(versions);
        tags = Collections2.orderedCopy(tags);
    }

    public Optional<PolicyVersion> version(String versionId) {
        return versions.stream().filter(v -> v.versionId().equals(versionId)).findFirst();
    }

    public PolicyVersion defaultVersion() {
        return version(defaultVersionId).orElseThrow();
    }

    public ManagedPolicy withNewVersion(String document, boolean setAsDefault, Instant now) {
        String versionId = "v" + nextVersionNumber;
        List<PolicyVersion> newVersions = new ArrayList<>(versions);
        newVersions.add(new PolicyVersion(versionId, document, now));
        return new ManagedPolicy(name, policyId, arn, path, description, created, now,
                setAsDefault ? versionId : defaultVersionId, nextVersionNumber + 1, newVersions, tags);
    }

    public ManagedPolicy withoutVersion(String versionId) {
        List<PolicyVersion> remaining = new ArrayList<>(versions);
        remaining.removeIf(v -> v.versionId().equals(versionId));
        return new ManagedPolicy(name, policyId, arn, path, description, created, updated, defaultVersionId,
                nextVersionNumber, remaining, tags);
    }

    public ManagedPolicy withDefaultVersion(String versionId, Instant now) {
        return new ManagedPolicy(name, policyId, arn, path, description, created, now, versionId, nextVersionNumber,
                versions, tags);
    }
}
