package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.module.ServiceConfigRead.FileRead;
import io.vaultcfg.plan.FileMode;
import io.vaultcfg.plan.FileState;
import io.vaultcfg.plan.FileType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Adopt, leave to vaultcfg's files, or refuse: decided from what the unit loads, the same on controller and host. */
class SealAdoptionTest {
    static final String KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
    static final String KEY_ARN = "arn:aws:kms:us-east-2:111122223333:key/" + KEY_ID;
    static final String UNIT = "/usr/lib/systemd/system/vault.service";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final SealAdoption.Planned PLANNED = new SealAdoption.Planned(Set.of(KEY_ID, KEY_ARN, "alias/vault-auto-unseal",
            "arn:aws:kms:us-east-2:111122223333:alias/vault-auto-unseal"), "us-east-2", Optional.of("111122223333"),
            Optional.empty(), "/etc/vault.d/vault.env", "/etc/vault.d/seal-awskms.hcl", false);

    final Map<String, FileRead> units = new LinkedHashMap<>();
    final Map<String, FileRead> configs = new LinkedHashMap<>();

    static FileRead file(String content) {
        return new FileRead(new FileState(FileType.REGULAR, FileMode.parse("600"), "vault", "vault",
                Optional.of(content.getBytes(StandardCharsets.UTF_8))), Optional.empty());
    }

    SealAdoption.Decision decide(SealAdoption.Planned planned) {
        ServiceConfigRead read = new ServiceConfigRead(Map.of("FragmentPath", UNIT, "DropInPaths", "", "NeedDaemonReload", "no"),
                units, configs, Map.of(), List.of());
        return SealAdoption.decide(EffectiveServiceConfig.of(read, "/etc/systemd/system", planned.envFile(), planned.sealFile()), planned);
    }

    SealAdoption.Decision decide() {
        return decide(PLANNED);
    }

    /** The seed's layout: the packaged unit loads vault.env and vault.hcl; the stanza is in vault.hcl. */
    void seed(String stanza) {
        units.put(UNIT, file("[Service]\nEnvironmentFile=-/etc/vault.d/vault.env\n"
                + "ExecStart=/usr/bin/vault server -config=/etc/vault.d/vault.hcl\n"));
        configs.put("/etc/vault.d/vault.hcl", file("storage \"raft\" { path = \"/opt/vault/data\" }\n" + stanza));
        configs.put("/etc/vault.d/vault.env", file("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=" + SECRET
                + "\nAWS_DEFAULT_REGION=us-east-2\n"));
    }

    static String awskms(String keyId) {
        return "seal \"awskms\" {\n  region = \"us-east-2\"\n  kms_key_id = \"" + keyId + "\"\n}\n";
    }

    @Test
    void theSeedsLayoutIsAdoptedAsIs() {
        seed(awskms(KEY_ID));

        SealAdoption.Decision decision = decide();

        assertThat(decision.refusal()).isEmpty();
        assertThat(decision.adopted()).hasValueSatisfying(seal -> assertThat(seal.place()).isEqualTo("/etc/vault.d/vault.hcl:2"));
        assertThat(decision.credentials()).hasValue("/etc/vault.d/vault.env");
        assertThat(decision.adoptedElsewhere()).isTrue();
        assertThat(decision.moving()).isFalse();
    }

    @Test
    void aStanzaNamingTheKeyByArnOrThePlannedAliasIsAdoptedAndTheMoveIsAnOptIn() {
        seed(awskms(KEY_ARN));
        assertThat(decide().adopted()).isPresent();
        units.clear();
        configs.clear();
        seed(awskms("alias/vault-auto-unseal"));
        SealAdoption.Decision moving = decide(new SealAdoption.Planned(PLANNED.keyNames(), "us-east-2", PLANNED.account(),
                Optional.empty(), PLANNED.envFile(), PLANNED.sealFile(), true));
        assertThat(moving.moving()).isTrue();
        assertThat(moving.adoptedElsewhere()).isFalse();
    }

    @Test
    void anotherSealTypeIsRefused() {
        seed("seal \"transit\" {\n  address = \"https://bao:8200\"\n  token = \"s.secret-token\"\n}\n");

        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why)
                .contains("seal \"transit\" at /etc/vault.d/vault.hcl:2", "another seal type").doesNotContain("s.secret-token"));
        configs.put("/etc/vault.d/vault.hcl", file("ui = true\n"));
        configs.put("/etc/vault.d/vault.env", file("VAULT_SEAL_TYPE=pkcs11\n"));
        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why).contains("'pkcs11'", "/etc/vault.d/vault.env"));
    }

    @Test
    void twoSealStanzasAreRefusedWhereverTheyAre() {
        seed(awskms(KEY_ID));
        units.put("/etc/systemd/system/vault.service.d/override.conf", file("[Service]\nExecStart=\n"
                + "ExecStart=/usr/bin/vault server -config=/etc/vault.d/vault.hcl -config=/etc/vault.d/seal-awskms.hcl\n"));
        configs.put("/etc/vault.d/seal-awskms.hcl", file(awskms(KEY_ID)));
        ServiceConfigRead read = new ServiceConfigRead(Map.of("FragmentPath", UNIT,
                "DropInPaths", "/etc/systemd/system/vault.service.d/override.conf"), units, configs, Map.of(), List.of());

        SealAdoption.Decision decision = SealAdoption.decide(EffectiveServiceConfig.of(read, "/etc/systemd/system",
                PLANNED.envFile(), PLANNED.sealFile()), PLANNED);

        assertThat(decision.refusal()).hasValueSatisfying(why -> assertThat(why).contains("2 seal stanzas",
                "/etc/vault.d/vault.hcl:2", "/etc/vault.d/seal-awskms.hcl:1"));
    }

    @Test
    void anotherRegionAccountOrKeyIsRefused() {
        seed("seal \"awskms\" {\n  region = \"eu-west-1\"\n  kms_key_id = \"" + KEY_ID + "\"\n}\n");
        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why).contains("in eu-west-1", "not the planned region us-east-2"));

        configs.put("/etc/vault.d/vault.hcl", file(awskms("arn:aws:kms:us-east-2:999999999999:key/" + KEY_ID)));
        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why).contains("account 999999999999"));

        configs.put("/etc/vault.d/vault.hcl", file(awskms("00000000-0000-0000-0000-000000000000")));
        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why).contains("not the planned key"));

        configs.put("/etc/vault.d/vault.hcl", file(awskms("alias/made-by-hand")));
        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why).contains("set kms_alias to it"));
    }

    @Test
    void credentialsInsideTheStanzaAreAFindingLeftAloneAndNeverShown() {
        seed("seal \"awskms\" {\n  region = \"us-east-2\"\n  kms_key_id = \"" + KEY_ID + "\"\n  access_key = \"AKIAIOSFODNN7EXAMPLE\"\n"
                + "  secret_key = \"" + SECRET + "\"\n}\n");

        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why)
                .startsWith("finding: the seal \"awskms\" stanza at /etc/vault.d/vault.hcl:2 holds AWS credentials (access_key, secret_key)")
                .contains("left as they are").doesNotContain(SECRET));
    }

    @Test
    void vaultcfgsOwnStanzaFileIsAdoptedWhenItSaysWhatVaultcfgWouldAndRewrittenOtherwise() {
        units.put(UNIT, file("[Service]\nEnvironmentFile=/etc/vault.d/vault.env\n"
                + "ExecStart=/usr/bin/vault server -config=/etc/vault.d/vault.hcl -config=/etc/vault.d/seal-awskms.hcl\n"));
        configs.put("/etc/vault.d/vault.hcl", file("ui = true\n"));
        configs.put("/etc/vault.d/seal-awskms.hcl", file(awskms(KEY_ID)));
        configs.put("/etc/vault.d/vault.env", file("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\nAWS_SECRET_ACCESS_KEY=" + SECRET + "\n"));
        assertThat(decide().adopted()).isPresent();
        assertThat(decide().adoptedElsewhere()).isFalse();

        SealAdoption.Planned newEndpoint = new SealAdoption.Planned(PLANNED.keyNames(), "us-east-2", PLANNED.account(),
                Optional.of("https://kms.example"), PLANNED.envFile(), PLANNED.sealFile(), false);
        assertThat(decide(newEndpoint).adopted()).as("rewritten from the template").isEmpty();
        assertThat(decide(newEndpoint).refusal()).isEmpty();
    }

    @Test
    void aConfigurationThatCannotBeReadWholeIsRefusedAndAnUnknownUnitLeftToVaultcfg() {
        seed(awskms(KEY_ID));
        configs.put("/etc/vault.d/vault.hcl", new FileRead(new FileState(FileType.SYMLINK, FileMode.parse("777"), "root", "root",
                Optional.empty()), Optional.of("is a link, which vaultcfg does not follow as root")));
        assertThat(decide().refusal()).hasValueSatisfying(why -> assertThat(why).contains("/etc/vault.d/vault.hcl is a link"));

        ServiceConfigRead unknown = new ServiceConfigRead(Map.of("FragmentPath", ""), Map.of(), Map.of(), Map.of(), List.of());
        SealAdoption.Decision decision = SealAdoption.decide(EffectiveServiceConfig.of(unknown, "/etc/systemd/system", "/a", "/b"), PLANNED);
        assertThat(decision.refusal()).isEmpty();
        assertThat(decision.adopted()).isEmpty();
    }
}
