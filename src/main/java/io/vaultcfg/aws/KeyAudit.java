package io.vaultcfg.aws;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The seed's KMS key practices, read only: the key every host's seal stanza names (else the alias) exists, is
 * symmetric for ENCRYPT_DECRYPT, enabled and not pending deletion (an error naming the command that saves it), has
 * rotation on, lives in the stanzas' region, and its key policy does not name the IAM user.
 */
final class KeyAudit {
    static final String ONE_KEY = "the seal stanzas name one KMS key";
    static final String SYMMETRIC = "KMS key is symmetric, for ENCRYPT_DECRYPT";
    static final String ENABLED = "KMS key is enabled, not pending deletion";
    static final String ROTATION = "KMS key rotation is on";
    static final String REGION = "KMS key is in the seal stanzas' region";
    static final String KEY_POLICY = "KMS key policy does not name the IAM user";

    private final KmsClient kms;
    private final String region;

    KeyAudit(AwsClients clients, String region) {
        this.kms = clients.kms();
        this.region = region;
    }

    /** The key the stanzas name (the one most hosts name when they disagree), else the alias's; with its line. */
    record Found(AuditLine line, Optional<KeyMetadata> key) {
    }

    Found find(String alias, Map<String, SealStanza> stanzas) {
        if (stanzas.isEmpty()) {
            Optional<KeyMetadata> key = describe(alias);
            return new Found(key.isPresent()
                    ? AuditLine.ok(ONE_KEY, "no host's seal stanza could be read; the key is found by its alias " + alias)
                    : AuditLine.finding(ONE_KEY, "no host's seal stanza could be read, and " + alias + " names no key in "
                    + region), key);
        }
        Map<String, List<String>> hostsByName = new LinkedHashMap<>();
        stanzas.forEach((host, stanza) -> hostsByName.computeIfAbsent(stanza.kmsKeyId(), k -> new ArrayList<>()).add(host));
        // a host's stanza is the host's word: shown only as one printable line of bounded length
        Map<String, String> shown = new LinkedHashMap<>();
        hostsByName.keySet().forEach(name -> shown.put(name, printable(name)));
        Map<String, List<String>> hostsByArn = new LinkedHashMap<>();
        Map<String, KeyMetadata> keys = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        hostsByName.forEach((name, hosts) -> {
            Optional<KeyMetadata> key = describe(name);
            if (key.isEmpty()) {
                missing.add(shown.get(name) + " (named by " + String.join(", ", hosts) + ") does not exist in " + region);
            } else {
                keys.putIfAbsent(key.get().arn(), key.get());
                hostsByArn.computeIfAbsent(key.get().arn(), k -> new ArrayList<>()).addAll(hosts);
            }
        });
        Optional<KeyMetadata> chosen = hostsByArn.entrySet().stream().max((a, b) -> a.getValue().size() - b.getValue().size())
                .map(entry -> keys.get(entry.getKey()));
        if (hostsByArn.size() > 1 || !missing.isEmpty()) {
            List<String> parts = new ArrayList<>();
            hostsByArn.forEach((arn, hosts) -> parts.add(String.join(", ", new TreeSet<>(hosts)) + ": " + arn));
            parts.addAll(missing);
            return new Found(AuditLine.finding(ONE_KEY, "the hosts' seal stanzas do not name one existing key: "
                    + String.join("; ", parts)), chosen);
        }
        return new Found(AuditLine.ok(ONE_KEY, stanzas.size() + (stanzas.size() == 1 ? " host names " : " hosts name ")
                + chosen.map(KeyMetadata::arn).orElse("")), chosen);
    }

    static String printable(String text) {
        String line = text.replaceAll("\\p{Cntrl}", "?");
        return line.length() <= 256 ? line : line.substring(0, 253) + "...";
    }

    private Optional<KeyMetadata> describe(String keyIdArnOrAlias) {
        try {
            return Optional.of(AuditCalls.read("kms:DescribeKey", () -> kms.describeKey(r -> r.keyId(keyIdArnOrAlias))).keyMetadata());
        } catch (AwsReader.NotFoundFlag e) {
            return Optional.empty();
        }
    }

    List<AuditLine> checks(KeyMetadata key, Map<String, SealStanza> stanzas, Optional<AwsState.User> user) {
        List<AuditLine> lines = new ArrayList<>();
        String usage = String.valueOf(key.keyUsageAsString());
        String spec = String.valueOf(key.keySpecAsString());
        lines.add(spec.equals("SYMMETRIC_DEFAULT") && usage.equals("ENCRYPT_DECRYPT")
                ? AuditLine.ok(SYMMETRIC, key.keyId() + ": " + spec + ", " + usage)
                : AuditLine.finding(SYMMETRIC, key.keyId() + " is " + spec + ", " + usage + ": Vault's awskms seal needs a "
                + "SYMMETRIC_DEFAULT key for ENCRYPT_DECRYPT; create one and migrate the seal to it"));
        lines.add(state(key));
        lines.add(AuditCalls.check(ROTATION, () -> rotation(key)));
        lines.add(region(key, stanzas));
        lines.add(user.isEmpty() ? AuditLine.notChecked(KEY_POLICY, "the IAM user is unknown")
                : AuditCalls.check(KEY_POLICY, () -> keyPolicy(key, user.get())));
        return lines;
    }

    private AuditLine state(KeyMetadata key) {
        String command = "aws kms enable-key --region " + region + " --key-id " + key.keyId();
        return switch (key.keyStateAsString()) {
            case "Enabled" -> AuditLine.ok(ENABLED, key.keyId() + " is Enabled");
            case "PendingDeletion" -> AuditLine.error(ENABLED, key.keyId() + " is pending deletion" + Optional.ofNullable(key.deletionDate())
                    .map(date -> " (deleted on " + date + ")").orElse("") + ": nodes cannot unseal once it is disabled, "
                    + "nor ever after it is deleted; cancel it now: aws kms cancel-key-deletion --region " + region
                    + " --key-id " + key.keyId() + " && " + command);
            case "Disabled" -> AuditLine.error(ENABLED, key.keyId() + " is disabled: nodes cannot unseal on it; enable it: "
                    + command);
            default -> AuditLine.error(ENABLED, key.keyId() + " is " + key.keyStateAsString() + ": nodes cannot unseal on it");
        };
    }

    private AuditLine rotation(KeyMetadata key) {
        if (!"Enabled".equals(key.keyStateAsString())) {
            return AuditLine.notChecked(ROTATION, "the key is " + key.keyStateAsString());
        }
        boolean on = AuditCalls.read("kms:GetKeyRotationStatus",
                () -> kms.getKeyRotationStatus(r -> r.keyId(key.keyId()))).keyRotationEnabled();
        return on ? AuditLine.ok(ROTATION, "automatic rotation is on")
                : AuditLine.finding(ROTATION, "automatic rotation is off: aws kms enable-key-rotation --region " + region
                + " --key-id " + key.keyId());
    }

    private AuditLine region(KeyMetadata key, Map<String, SealStanza> stanzas) {
        String keyRegion = key.arn().split(":")[3];
        Map<String, List<String>> elsewhere = new LinkedHashMap<>();
        stanzas.forEach((host, stanza) -> {
            if (!stanza.keyRegion().equals(keyRegion)) {
                elsewhere.computeIfAbsent(printable(stanza.keyRegion()), k -> new ArrayList<>()).add(host);
            }
        });
        if (!keyRegion.equals(region)) {
            elsewhere.computeIfAbsent(region + " (aws_region)", k -> new ArrayList<>());
        }
        if (elsewhere.isEmpty()) {
            return AuditLine.ok(REGION, "the key and every seal stanza are in " + keyRegion);
        }
        List<String> parts = new ArrayList<>();
        elsewhere.forEach((other, hosts) -> parts.add(hosts.isEmpty() ? other : String.join(", ", hosts) + " name " + other));
        return AuditLine.finding(REGION, "the key is in " + keyRegion + ", but " + String.join("; ", parts));
    }

    private AuditLine keyPolicy(KeyMetadata key, AwsState.User user) {
        String policy = AuditCalls.read("kms:GetKeyPolicy", () -> kms.getKeyPolicy(r -> r.keyId(key.keyId()).policyName("default")))
                .policy();
        if (policy != null && (policy.contains(user.arn()) || policy.contains(":user/" + user.name() + "\""))) {
            return AuditLine.finding(KEY_POLICY, "the key policy of " + key.keyId() + " names IAM user " + user.name()
                    + ": grant the user only through its IAM policy (least privilege on one key)");
        }
        return AuditLine.ok(KEY_POLICY, "the key policy does not name " + user.name());
    }
}
