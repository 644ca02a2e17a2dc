package io.vaultcfg.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void masksValuesOfSecretNamedAndMarkedVariables() {
        Redactor redactor = new Redactor();
        redactor.addSecretVariables(Map.of("aws_secret_access_key", "wJalrXUtnFEMI", "db_pass", "hunter22", "region", "us-east-2"),
                Set.of("db_pass"));
        assertThat(redactor.redact("key wJalrXUtnFEMI pass hunter22 in us-east-2"))
                .isEqualTo("key <redacted> pass <redacted> in us-east-2");
    }

    @Test
    void masksSecretLookingAssignmentsEvenWhenTheValueIsUnknown() {
        Redactor redactor = new Redactor();
        assertThat(redactor.redact("-AWS_SECRET_ACCESS_KEY=old+secret/value")).isEqualTo("-AWS_SECRET_ACCESS_KEY=<redacted>");
        assertThat(redactor.redact("  secret_key = \"abc123xyz\"")).isEqualTo("  secret_key = \"<redacted>\"");
        assertThat(redactor.redact("AWS_ACCESS_KEY_ID=AKIA123")).isEqualTo("AWS_ACCESS_KEY_ID=AKIA123");
    }
}
