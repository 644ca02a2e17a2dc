package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.module.SealStanzas.Seal;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Seal stanzas found in HCL and JSON as Vault and OpenBao write them; their values never in a message. */
class SealStanzasTest {
    @Test
    void theSeedsStanzaInsideAFullVaultHcl() throws Exception {
        String hcl = """
                ui = true
                # seal "transit" { }   (a comment, not a stanza)
                storage "raft" {
                  path = "/opt/vault/data"
                  retry_join { leader_api_addr = "https://10.0.0.2:8200" }
                }
                /* seal "pkcs11" {
                   lib = "/x" } */
                listener "tcp" { address = "0.0.0.0:8200", tls_disable = true }
                seal "awskms" {
                  region     = "us-east-2"   // the key's region
                  kms_key_id = "1234abcd-12ab-34cd-56ef-1234567890ab"
                }
                api_addr = "https://${HOSTNAME}:8200"
                """;

        List<Seal> seals = SealStanzas.in("/etc/vault.d/vault.hcl", hcl);

        assertThat(seals).singleElement().satisfies(seal -> {
            assertThat(seal.type()).isEqualTo("awskms");
            assertThat(seal.attribute("region")).hasValue("us-east-2");
            assertThat(seal.attribute("kms_key_id")).hasValue("1234abcd-12ab-34cd-56ef-1234567890ab");
            assertThat(seal.place()).isEqualTo("/etc/vault.d/vault.hcl:10");
            assertThat(seal.endLine()).isEqualTo(13);
        });
    }

    @Test
    void everyHclSpellingOfASealStanza() throws Exception {
        String hcl = """
                seal awskms { kms_key_id = "a" }
                seal "transit" {
                  address = "https://bao:8200"
                  token   = <<EOT
                s.secret
                EOT
                  tls_skip_verify = false
                }
                seal = { pkcs11 = { lib = "/usr/lib/softhsm.so", slot = 0 } }
                seal "shamir" {}
                """;

        List<Seal> seals = SealStanzas.in("/c.hcl", hcl);

        assertThat(seals).extracting(Seal::type).containsExactly("awskms", "transit", "pkcs11", "shamir");
        assertThat(seals.get(1).attribute("token")).hasValue("s.secret\n");
        assertThat(seals.get(1).attribute("tls_skip_verify")).hasValue("false");
        assertThat(seals.get(2).attribute("slot")).hasValue("0");
    }

    @Test
    void jsonStanzasAsObjectsAndLists() throws Exception {
        String json = """
                {"storage": {"raft": {"path": "/d"}},
                 "seal": [{"awskms": {"region": "eu-west-1", "kms_key_id": "k1", "access_key": "AKIA", "secret_key": "s"}},
                          {"transit": [{"address": "https://x"}]}]}
                """;

        List<Seal> seals = SealStanzas.in("/etc/vault.d/seal.json", json);

        assertThat(seals).extracting(Seal::type).containsExactly("awskms", "transit");
        assertThat(seals.get(0).attributes()).containsKeys("access_key", "secret_key").containsEntry("region", "eu-west-1");
        assertThat(SealStanzas.in("/x.json", "{\"seal\": {\"awskms\": {\"kms_key_id\": \"k\"}}}"))
                .singleElement().satisfies(seal -> assertThat(seal.attribute("kms_key_id")).hasValue("k"));
    }

    @Test
    void storageStanzasTellWhetherRaftNamesPeersToJoin() throws Exception {
        String joining = """
                storage "raft" {
                  path    = "/opt/vault/data"
                  node_id = "n1"
                  retry_join { leader_api_addr = "https://10.0.0.2:8200" }
                  retry_join { leader_api_addr = "https://10.0.0.3:8200" }
                }
                """;
        assertThat(SealStanzas.storages("/etc/vault.d/vault.hcl", joining)).singleElement().satisfies(storage -> {
            assertThat(storage.type()).isEqualTo("raft");
            assertThat(storage.nested()).contains("retry_join");
        });
        assertThat(SealStanzas.storages("/v.hcl", "storage \"raft\" { path = \"/d\" }\n")).singleElement()
                .satisfies(storage -> assertThat(storage.nested()).doesNotContain("retry_join"));
        assertThat(SealStanzas.storages("/v.json", "{\"storage\": {\"raft\": {\"path\": \"/d\", \"retry_join\": [{\"leader_api_addr\": \"x\"}]}}}"))
                .singleElement().satisfies(storage -> assertThat(storage.nested()).contains("retry_join"));
        assertThat(SealStanzas.storages("/v.hcl", joining)).noneMatch(storage -> storage.type().equals("awskms"));
        assertThat(SealStanzas.in("/v.hcl", joining)).as("a storage stanza is no seal").isEmpty();
    }

    @Test
    void aFileWithoutSealHasNone() throws Exception {
        assertThat(SealStanzas.in("/v.hcl", "storage \"file\" { path = \"/d\" }\n")).isEmpty();
        assertThat(SealStanzas.in("/v.json", "{\"ui\": true}")).isEmpty();
    }

    @Test
    void textThatIsNotHclNamesItsLineButNeverItsContent() {
        assertThatThrownBy(() -> SealStanzas.in("/etc/vault.d/vault.hcl", "ui = true\nseal \"awskms\" {\n  secret_key = \"SECRETVALUE\n}\n"))
                .isInstanceOf(SealStanzas.NotUnderstood.class)
                .hasMessage("/etc/vault.d/vault.hcl:3: a string that does not end on its line")
                .hasMessageNotContaining("SECRETVALUE");
        assertThatThrownBy(() -> SealStanzas.in("/v.hcl", "seal \"awskms\" {\n  region = \"x\"\n"))
                .hasMessageContaining("/v.hcl:").hasMessageContaining("never ends");
        assertThatThrownBy(() -> SealStanzas.in("/v.json", "{\"seal\": "))
                .hasMessage("/v.json: not valid JSON");
    }

    @Test
    void aStanzasValuesNeverAppearInItsText() throws Exception {
        Seal seal = SealStanzas.in("/v.hcl", "seal \"awskms\" {\n secret_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n}\n").get(0);

        assertThat(seal.toString()).isEqualTo("seal \"awskms\" at /v.hcl:1").doesNotContain("wJalr");
    }
}
