package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The seal status as GET /v1/sys/seal-status (curl) and {@code vault status -format=json} print it. */
class VaultStatusTest {
    @Test
    void anUnsealedAwsKmsNodeFromTheHttpApi() {
        VaultStatus status = VaultStatus.parse("{\"type\":\"awskms\",\"initialized\":true,\"sealed\":false,\"t\":1,\"n\":1,"
                + "\"progress\":0,\"nonce\":\"\",\"version\":\"2.6.2\",\"build_date\":\"2026-01-01T00:00:00Z\","
                + "\"migration\":false,\"recovery_seal\":true,\"storage_type\":\"file\"}").orElseThrow();

        assertThat(status).isEqualTo(new VaultStatus(true, false, "awskms", "2.6.2"));
        assertThat(status.describe()).isEqualTo("unsealed (seal type awskms, version 2.6.2)");
    }

    @Test
    void theCliOutputAfterAWarningAndAnUninitializedNode() {
        VaultStatus status = VaultStatus.parse("WARNING! VAULT_ADDR and -address unset. Defaulting to https://127.0.0.1:8200.\n"
                + "{\n  \"type\": \"shamir\",\n  \"initialized\": false,\n  \"sealed\": true,\n  \"version\": \"1.15.0\"\n}\n").orElseThrow();

        assertThat(status.initialized()).isFalse();
        assertThat(status.sealed()).isTrue();
        assertThat(status.describe()).startsWith("not initialized: ready for init");
    }

    @Test
    void aShamirNodeIsRecognisedAndASealedOneStaysSealed() {
        VaultStatus status = VaultStatus.parse("{\"type\":\"shamir\",\"initialized\":true,\"sealed\":true}").orElseThrow();

        assertThat(status.isShamirInitialized()).isTrue();
        assertThat(status.describe()).isEqualTo("sealed (seal type shamir)");
    }

    @Test
    void outputWithoutASealStatusIsNoStatus() {
        assertThat(VaultStatus.parse("curl: (7) Failed to connect to 127.0.0.1 port 8200")).isEmpty();
        assertThat(VaultStatus.parse("{\"errors\":[\"Vault is sealed\"]}")).isEmpty();
        assertThat(VaultStatus.parse("{\"sealed\": fals")).isEmpty();
    }
}
