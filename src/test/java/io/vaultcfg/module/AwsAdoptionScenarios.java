package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.AwsApplier;
import io.vaultcfg.aws.AwsChange;
import io.vaultcfg.aws.AwsClients;
import io.vaultcfg.aws.AwsPlan;
import io.vaultcfg.aws.AwsPlanner;
import io.vaultcfg.aws.AwsReader;
import io.vaultcfg.aws.AwsSettings;
import io.vaultcfg.aws.AwsState;
import io.vaultcfg.aws.DefaultSealNames;
import io.vaultcfg.aws.FleetMember;
import io.vaultcfg.aws.HeldCredentials;
import io.vaultcfg.aws.SealResources;
import io.vaultcfg.aws.SealStanza;
import io.vaultcfg.secret.Redactor;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * The AWS half of adopting a hand-made set-up, through the real SDK against an emulator (subclasses say which):
 * the key the stanzas name is the key (alias, tags and rotation added, no second key), the user owning the held
 * access key is the user (an exact policy kept, a wider one replaced, console login removed).
 */
abstract class AwsAdoptionScenarios {
    static final String REGION = "us-east-2";
    static final String ADMIN_KEY = "AKIAADMINEXAMPLE0001";
    static final String ADMIN_SECRET = "admin-secret-for-tests-0123456789abcdef";
    static final String ALIAS = "alias/vault-auto-unseal";
    static final String BY_HAND = "vault-unseal-by-hand";
    static final SealResources NAMES = new SealResources(ALIAS, "Vault auto-unseal (managed by vaultcfg)",
            DefaultSealNames.user(ALIAS, REGION), DefaultSealNames.policy(ALIAS, REGION), false, false,
            Map.of("ManagedBy", "vaultcfg", "vaultcfg:fleet", ALIAS + "@" + REGION));

    AwsClients clients;
    KmsClient kms;
    IamClient iam;

    abstract String endpoint();

    abstract void resetAccount() throws Exception;

    @BeforeEach
    void clients() throws Exception {
        resetAccount();
        System.setProperty("aws.accessKeyId", ADMIN_KEY);
        System.setProperty("aws.secretAccessKey", ADMIN_SECRET);
        clients = new AwsClients(new AwsSettings(REGION, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(URI.create(endpoint())), Duration.ofSeconds(20)));
        StaticCredentialsProvider admin = StaticCredentialsProvider.create(AwsBasicCredentials.create(ADMIN_KEY, ADMIN_SECRET));
        kms = KmsClient.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(admin).build();
        iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(URI.create(endpoint()))
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(admin).build();
    }

    @AfterEach
    void close() {
        clients.close();
        kms.close();
        iam.close();
    }

    /** The seed's steps 1–5 by hand: a key without alias, a user with console login, {@code policy} attached, an access key. */
    HeldCredentials byHand(KeyMetadata key, String policyDocument) {
        iam.createUser(r -> r.userName(BY_HAND));
        iam.createLoginProfile(r -> r.userName(BY_HAND).password("Console-Password-1!"));
        String arn = iam.createPolicy(r -> r.policyName("HandMadeKms").policyDocument(policyDocument)).policy().arn();
        iam.attachUserPolicy(r -> r.userName(BY_HAND).policyArn(arn));
        var accessKey = iam.createAccessKey(r -> r.userName(BY_HAND)).accessKey();
        return new HeldCredentials(accessKey.accessKeyId(), accessKey.secretAccessKey());
    }

    /** The seed's step 1 (symmetric, encrypt/decrypt; moto leaves the usage out of DescribeKey unless it is given). */
    KeyMetadata byHandKey() {
        return kms.createKey(r -> r.description("by hand").keySpec("SYMMETRIC_DEFAULT").keyUsage("ENCRYPT_DECRYPT")).keyMetadata();
    }

    static String exact(String keyArn) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:Encrypt\",\"kms:Decrypt\","
                + "\"kms:DescribeKey\"],\"Resource\":\"" + keyArn + "\"}]}";
    }

    static List<FleetMember> fleet(HeldCredentials held, String stanzaKey) {
        return List.of(FleetMember.read("vault-01", true, Optional.of(held), Optional.of(new SealStanza(stanzaKey, REGION)),
                FleetMember.Node.INITIALIZED), FleetMember.read("vault-02", true, Optional.of(held),
                Optional.of(new SealStanza(stanzaKey, REGION)), FleetMember.Node.INITIALIZED));
    }

    /** What a run plans with the adoption, as the controller does it (the held pair taken as working). */
    AwsPlan plan(List<FleetMember> fleet) {
        AwsState read = new AwsReader(clients).read(NAMES);
        AwsAdoption adoption = AwsAdoption.resolve(clients, read, NAMES, true, REGION, fleet);
        return adoption.around(AwsPlanner.plan(adoption.state(), adoption.names(), REGION, fleet, pair -> true,
                new AwsReader(clients)::keyArn), Optional.empty(), List.of(), new Redactor());
    }

    @Test
    void theKeyAndUserMadeByHandAreTakenOverAndOnlyWhatIsMissingIsMade() {
        KeyMetadata key = byHandKey();
        HeldCredentials held = byHand(key, exact(key.arn()));

        AwsPlan plan = plan(fleet(held, key.keyId()));

        assertThat(plan.stop()).isEmpty();
        assertThat(plan.keyId()).hasValue(key.keyId());
        assertThat(plan.names().userName()).isEqualTo(BY_HAND);
        assertThat(plan.names().policyName()).isEqualTo("HandMadeKms");
        assertThat(plan.reuse()).hasValue(held);
        assertThat(plan.changes()).extracting(AwsChange::getClass).containsOnly(AwsChange.CreateAlias.class, AwsChange.TagKey.class,
                AwsChange.EnableRotation.class, AwsChange.DeleteLoginProfile.class, AwsChange.TagUser.class);
        assertThat(plan.notes()).anySatisfy(note -> assertThat(note).contains("kept as the seal policy"))
                .anySatisfy(note -> assertThat(note).contains("IAM user " + BY_HAND + " (made by hand)"));

        new AwsApplier(clients, secret -> { }).apply(plan);

        assertThat(kms.listKeys().keys()).singleElement().satisfies(k -> assertThat(k.keyId()).isEqualTo(key.keyId()));
        assertThat(kms.describeKey(r -> r.keyId(ALIAS)).keyMetadata().keyId()).isEqualTo(key.keyId());
        assertThat(kms.getKeyRotationStatus(r -> r.keyId(key.keyId())).keyRotationEnabled()).isTrue();
        assertThat(kms.listResourceTags(r -> r.keyId(key.keyId())).tags()).extracting(t -> t.tagKey())
                .contains("ManagedBy", "vaultcfg:fleet");
        assertThat(iam.listUsers().users()).extracting(u -> u.userName()).containsExactly(BY_HAND);
        assertThat(iam.listAccessKeys(r -> r.userName(BY_HAND)).accessKeyMetadata()).hasSize(1);
        assertThat(iam.listAttachedUserPolicies(r -> r.userName(BY_HAND)).attachedPolicies()).extracting(p -> p.policyName())
                .containsExactly("HandMadeKms");
        assertThat(plan(fleet(held, key.keyId())).changes()).as("a second run").isEmpty();
    }

    @Test
    void aStanzaNamingTheKeyByArnFindsItToo() {
        KeyMetadata key = byHandKey();
        HeldCredentials held = byHand(key, exact(key.arn()));

        assertThat(plan(fleet(held, key.arn())).keyId()).hasValue(key.keyId());
    }

    @Test
    void aWiderHandMadePolicyIsReplacedByTheLeastPrivilegeOne() {
        KeyMetadata key = byHandKey();
        HeldCredentials held = byHand(key, "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                + "\"Action\":\"kms:*\",\"Resource\":\"*\"}]}");

        AwsPlan plan = plan(fleet(held, key.keyId()));

        assertThat(plan.names().policyName()).isEqualTo(NAMES.policyName());
        List<Class<?>> order = plan.changes().stream().<Class<?>>map(Object::getClass).toList();
        assertThat(order).contains(AwsChange.CreatePolicy.class, AwsChange.AttachPolicy.class, AwsChange.DetachPolicy.class);
        assertThat(order.indexOf(AwsChange.DetachPolicy.class)).isGreaterThan(order.indexOf(AwsChange.AttachPolicy.class));
        assertThat(plan.notes()).anySatisfy(note -> assertThat(note).contains("grants KMS more than least privilege: replaced"))
                .noneSatisfy(note -> assertThat(note).contains("use exclusive: true"));

        new AwsApplier(clients, secret -> { }).apply(plan);

        assertThat(iam.listAttachedUserPolicies(r -> r.userName(BY_HAND)).attachedPolicies()).extracting(p -> p.policyName())
                .containsExactly(NAMES.policyName());
    }

    @Test
    void aKeyOfAnotherRegionOrOneTheAliasAlreadyNamesIsNotTakenOver() {
        KeyMetadata key = byHandKey();
        HeldCredentials held = byHand(key, exact(key.arn()));
        String elsewhere = key.arn().replace(":" + REGION + ":", ":eu-west-1:");
        List<FleetMember> fleet = List.of(FleetMember.read("vault-01", true, Optional.of(held),
                Optional.of(new SealStanza(elsewhere, "eu-west-1")), FleetMember.Node.INITIALIZED));

        assertThat(plan(fleet).changes()).extracting(AwsChange::getClass).doesNotContain(AwsChange.TagKey.class);
        assertThat(plan(fleet).stop()).as("the seal guard: an initialized node on another key").isPresent();

        KeyMetadata aliased = byHandKey();
        kms.createAlias(r -> r.aliasName(ALIAS).targetKeyId(aliased.keyId()));
        AwsPlan plan = plan(fleet(held, key.keyId()));
        assertThat(plan.keyId()).hasValue(aliased.keyId());
        assertThat(plan.stop()).hasValueSatisfying(why -> assertThat(why).contains(key.keyId()));
    }
}
