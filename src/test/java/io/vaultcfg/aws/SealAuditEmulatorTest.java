package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.aws.emulator.AwsEmulator;
import io.vaultcfg.aws.emulator.EmulatorOptions;
import io.vaultcfg.aws.emulator.state.AccessKeyPair;
import io.vaultcfg.aws.emulator.request.RequestLogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit's AWS scenarios against vaultcfg's own emulator, which also enforces IAM and logs every request. */
class SealAuditEmulatorTest extends SealAuditScenarios {
    AwsEmulator emulator;

    @Override
    String endpoint() {
        return emulator.endpoint().toString();
    }

    @Override
    void resetAccount() throws IOException {
        emulator = AwsEmulator.start(EmulatorOptions.defaults().withAdmin(new AccessKeyPair(ADMIN_KEY, ADMIN_SECRET)));
    }

    @Override
    boolean makesAsymmetricKeys() {
        return false;
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void theAuditOnlyReads() {
        emulator.requestLog().clear();

        audit();

        assertThat(emulator.requestLog().entries()).isNotEmpty().extracting(RequestLogEntry::action)
                .allSatisfy(action -> assertThat(action).matches("(Describe|Get|List).*"));
    }

    @Test
    void whatTheCredentialsMayNotReadIsNotCheckedAndTheRestIs() throws IOException {
        iam.createUser(r -> r.userName("auditor"));
        iam.putUserPolicy(r -> r.userName("auditor").policyName("kms-read").policyDocument("{\"Version\":\"2012-10-17\","
                + "\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\"kms:DescribeKey\",\"kms:GetKeyRotationStatus\",\"iam:GetUser\"],"
                + "\"Resource\":\"*\"}]}"));
        var auditor = iam.createAccessKey(r -> r.userName("auditor")).accessKey();
        Files.writeString(dir.resolve("credentials"), "[auditor]\naws_access_key_id = " + auditor.accessKeyId()
                + "\naws_secret_access_key = " + auditor.secretAccessKey() + "\n");
        clients.close();
        clients = clients(Optional.of("auditor"));

        List<AuditLine> lines = new SealAudit(clients).audit(new SealAudit.Target(REGION, ALIAS, List.of(USER), POLICY, false,
                stanzas(key.keyId()), Set.of(accessKeyId)), Instant.now());

        assertThat(lines).filteredOn(line -> line.result() == AuditLine.Result.OK).extracting(AuditLine::check)
                .contains(KeyAudit.ONE_KEY, UserAudit.EXISTS, KeyAudit.SYMMETRIC, KeyAudit.ENABLED, KeyAudit.ROTATION, KeyAudit.REGION);
        assertThat(lines).filteredOn(line -> line.result() == AuditLine.Result.NOT_CHECKED).extracting(AuditLine::check)
                .contains(KeyAudit.KEY_POLICY, UserAudit.CONSOLE, UserAudit.GROUPS, UserAudit.INLINE, UserAudit.MANAGED,
                        UserAudit.ONE_KEY, UserAudit.EXACT, UserAudit.KEY_AGE);
        assertThat(lines).noneMatch(line -> line.result() == AuditLine.Result.FINDING || line.result() == AuditLine.Result.ERROR);
        assertThat(lines).filteredOn(line -> line.check().equals(UserAudit.GROUPS)).singleElement()
                .satisfies(line -> assertThat(line.detail()).contains("iam:ListGroupsForUser (AccessDenied)"));
    }

    @Test
    void aKeyNameAHostMadeUpIsShownOnOneLine() {
        Map<String, SealStanza> stanzas = Map.of("vault-01", new SealStanza(key.keyId(), REGION),
                "vault-02", new SealStanza("alias/nope\nvault-09  seal  ok  all fine", REGION));

        List<AuditLine> lines = audit(stanzas, Instant.now());

        assertThat(lines.get(0).result()).isEqualTo(AuditLine.Result.FINDING);
        assertThat(lines.get(0).detail()).doesNotContain("\n").contains("alias/nope?vault-09  seal  ok  all fine (named by vault-02)");
    }
}
