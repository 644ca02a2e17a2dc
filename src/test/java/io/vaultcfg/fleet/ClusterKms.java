package io.vaultcfg.fleet;

import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.TestClients;
import io.vaultcfg.testing.SourceAddressRelay;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The cluster's KMS: the emulator in this JVM, and one relay per node listening on the node's address, so that
 * the node's KMS requests reach the emulator from that address ({@code faults().denyFrom} can then single out
 * one node). Also sets up an awskms seal by hand, with the names vaultcfg would choose, for a cluster that is
 * already on awskms.
 */
final class ClusterKms implements AutoCloseable {
    static final String REGION = "us-east-2";
    static final String ALIAS = "alias/vault-auto-unseal";
    static final String USER = "vault-auto-unseal-" + REGION;
    static final String ADMIN_PROFILE = "fleet-cluster";
    private static final String ADMIN_KEY_ID = "FLEETCLUSTERADMIN001";

    /** The awskms seal's key and the IAM user's access key the nodes hold. */
    record SealAccess(String keyId, String keyArn, String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "SealAccess[" + keyId + ", " + accessKeyId + ", secret: <redacted>]";
        }
    }

    private final AwsEmulator emulator;
    private final List<SourceAddressRelay> relays = new ArrayList<>();
    private final Path privateDir;

    private ClusterKms(AwsEmulator emulator, Path privateDir) {
        this.emulator = emulator;
        this.privateDir = privateDir;
    }

    static ClusterKms start(List<FleetHost> hosts) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        AccessKeyPair admin = new AccessKeyPair(ADMIN_KEY_ID, Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        Path privateDir = Files.createTempDirectory("vaultcfg-cluster-kms-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ClusterKms kms = new ClusterKms(AwsEmulator.start(EmulatorOptions.defaults().withAdmin(admin)), privateDir);
        try {
            Files.writeString(kms.adminCredentialsFile(), "[" + ADMIN_PROFILE + "]\naws_access_key_id = " + admin.accessKeyId()
                    + "\naws_secret_access_key = " + admin.secretAccessKey() + "\n");
            InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), kms.emulator.port());
            for (FleetHost host : hosts) {
                kms.relays.add(SourceAddressRelay.start(InetAddress.getByName(host.address()), target));
            }
        } catch (IOException | RuntimeException e) {
            kms.close();
            throw e;
        }
        return kms;
    }

    AwsEmulator emulator() {
        return emulator;
    }

    /** The KMS endpoint node {@code node} must use for its requests to come from its own address. */
    URI endpoint(int node) {
        return relays.get(node).endpoint();
    }

    /** The emulator admin's credentials (profile {@value #ADMIN_PROFILE}), owner-only, for vaultcfg's AWS phase. */
    Path adminCredentialsFile() {
        return privateDir.resolve("aws-credentials");
    }

    /** A KMS key with vaultcfg's default alias, and an IAM user allowed only Encrypt, Decrypt, DescribeKey on it. */
    SealAccess provisionSeal() {
        try (TestClients clients = new TestClients(emulator)) {
            KeyMetadata key = clients.adminKms().createKey(r -> r.description("vault auto-unseal")).keyMetadata();
            clients.adminKms().createAlias(r -> r.aliasName(ALIAS).targetKeyId(key.keyId()));
            clients.adminIam().createUser(r -> r.userName(USER));
            clients.adminIam().putUserPolicy(r -> r.userName(USER).policyName(USER + "-kms").policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"" + key.arn() + "\"}]}"));
            AccessKey accessKey = clients.adminIam().createAccessKey(r -> r.userName(USER)).accessKey();
            return new SealAccess(key.keyId(), key.arn(), accessKey.accessKeyId(), accessKey.secretAccessKey());
        }
    }

    /**
     * The files of an awskms seal on a host, where and as vaultcfg's playbook puts them (credentials in vault.env,
     * the stanza beside vault.hcl, a unit drop-in loading both), but written by hand: no "managed by" header.
     */
    void writeSealFiles(FleetHost host, int node, SealAccess access) throws IOException {
        Path env = host.path("/etc/vault.d/vault.env");
        Files.writeString(env, "AWS_ACCESS_KEY_ID=" + access.accessKeyId() + "\nAWS_SECRET_ACCESS_KEY="
                + access.secretAccessKey() + "\nAWS_DEFAULT_REGION=" + REGION + "\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        Path stanza = host.path("/etc/vault.d/seal-awskms.hcl");
        Files.writeString(stanza, "seal \"awskms\" {\n  region     = \"" + REGION + "\"\n  kms_key_id = \"" + access.keyId()
                + "\"\n  endpoint   = \"" + endpoint(node) + "\"\n}\n");
        Files.setPosixFilePermissions(stanza, PosixFilePermissions.fromString("rw-r-----"));
        Shell.check(List.of("chown", "vault:vault", env.toString(), stanza.toString()));
        Path dropIns = Files.createDirectories(host.path("/etc/systemd/system/vault.service.d"));
        Files.writeString(dropIns.resolve("10-vaultcfg-awskms.conf"), "[Service]\nEnvironmentFile=/etc/vault.d/vault.env\n"
                + "ExecStart=\nExecStart=" + Fleet.BAO + " server -config=/etc/vault.d/vault.hcl -config=/etc/vault.d/seal-awskms.hcl\n");
    }

    /** The seed's names for what it makes by hand (steps 1–5): its user, and a policy name of the operator's choosing. */
    static final String HAND_MADE_USER = "vault-auto-unseal";
    static final String HAND_MADE_POLICY = "VaultKmsUnsealByHand";

    /**
     * The seed's steps 1–5 done by hand with the emulator's admin: a symmetric key with no alias and rotation left off,
     * user {@value #HAND_MADE_USER} with a console login, the seed's least-privilege policy under a name of its own,
     * attached, and an access key.
     */
    SealAccess provisionByHand() {
        try (TestClients clients = new TestClients(emulator)) {
            KeyMetadata key = clients.adminKms().createKey(r -> r.description("vault unseal key (by hand)")).keyMetadata();
            clients.adminIam().createUser(r -> r.userName(HAND_MADE_USER));
            clients.adminIam().createLoginProfile(r -> r.userName(HAND_MADE_USER).password("Console-Password-1!"));
            String policyArn = clients.adminIam().createPolicy(r -> r.policyName(HAND_MADE_POLICY).policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                            + "\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\",\"kms:DescribeKey\"],\"Resource\":\"" + key.arn()
                            + "\"}]}")).policy().arn();
            clients.adminIam().attachUserPolicy(r -> r.userName(HAND_MADE_USER).policyArn(policyArn));
            AccessKey accessKey = clients.adminIam().createAccessKey(r -> r.userName(HAND_MADE_USER)).accessKey();
            return new SealAccess(key.keyId(), key.arn(), accessKey.accessKeyId(), accessKey.secretAccessKey());
        }
    }

    /**
     * The seed's steps 6–7 by hand: the stanza written into vault.hcl itself (with the node's KMS endpoint, the
     * emulator), the credentials in vault.env (vault:vault, 0600) that the packaged unit already loads; no drop-in.
     * The config directory root:vault 0750, as vaultcfg keeps it.
     */
    void writeSeedFiles(FleetHost host, int node, SealAccess access) throws IOException {
        Path env = host.path("/etc/vault.d/vault.env");
        Files.writeString(env, "AWS_ACCESS_KEY_ID=" + access.accessKeyId() + "\nAWS_SECRET_ACCESS_KEY="
                + access.secretAccessKey() + "\nAWS_DEFAULT_REGION=" + REGION + "\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
        Shell.check(List.of("chown", "vault:vault", env.toString()));
        Path main = host.path("/etc/vault.d/vault.hcl");
        Files.writeString(main, Files.readString(main) + "\nseal \"awskms\" {\n  region     = \"" + REGION + "\"\n  kms_key_id = \""
                + access.keyId() + "\"\n  endpoint   = \"" + endpoint(node) + "\"\n}\n");
        Shell.check(List.of("chown", "root:vault", host.path("/etc/vault.d").toString()));
        Files.setPosixFilePermissions(host.path("/etc/vault.d"), PosixFilePermissions.fromString("rwxr-x---"));
    }

    @Override
    public void close() {
        relays.forEach(SourceAddressRelay::close);
        emulator.close();
        try {
            Files.deleteIfExists(adminCredentialsFile());
            Files.deleteIfExists(privateDir);
        } catch (IOException ignored) {
            // a temp dir of this JVM's user
        }
    }
}
