package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** systemd's unit syntax, ExecStart splitting and EnvironmentFile= contents, as systemd reads them. */
class UnitFilesTest {
    @Test
    void sectionsCommentsAndContinuedLines() {
        String unit = """
                [Unit]
                ExecStart=/not/in/service
                [Service]
                # ExecStart=/commented
                ; EnvironmentFile=/commented
                EnvironmentFile = -/etc/vault.d/vault.env
                ExecStart=/usr/bin/vault server \\
                # a comment inside a continued line is skipped
                  -config=/etc/vault.d/vault.hcl
                """;

        List<UnitFile.Assignment> assignments = UnitFile.assignments("/u", unit);

        assertThat(assignments).extracting(a -> a.section() + "|" + a.key() + "|" + a.value()).containsExactly(
                "Unit|ExecStart|/not/in/service",
                "Service|EnvironmentFile|-/etc/vault.d/vault.env",
                "Service|ExecStart|/usr/bin/vault server  -config=/etc/vault.d/vault.hcl");
        assertThat(assignments.get(2).place()).isEqualTo("/u:7");
    }

    @Test
    void execStartWordsAndConfigFlagsInEverySpelling() {
        ExecStartLine line = ExecStartLine.parse("-@/usr/bin/vault server -config=/a.hcl -config \"/with space/b.hcl\" "
                + "--config=/c.d --config '/d.hcl' -log-level=info").orElseThrow();

        assertThat(line.argv().get(0)).isEqualTo("/usr/bin/vault");
        assertThat(line.configPaths()).containsExactly("/a.hcl", "/with space/b.hcl", "/c.d", "/d.hcl");
        assertThat(line.withConfig("/etc/vault.d/seal-awskms.hcl")).endsWith("-log-level=info -config=/etc/vault.d/seal-awskms.hcl")
                .contains("\"-config\" \"/with space/b.hcl\"".replace("\"-config\"", "-config"));
        assertThat(ExecStartLine.parse("/usr/bin/vault \"unterminated")).isEmpty();
    }

    @Test
    void envFileValuesQuotedOrNot() {
        assertThat(EnvFile.variables("""
                # comment
                ; comment
                AWS_ACCESS_KEY_ID=AKIAEXAMPLE
                export AWS_DEFAULT_REGION="us-east-2"
                AWS_SECRET_ACCESS_KEY='with spaces = and #'
                QUOTED="a \\"b\\""
                not a line
                """)).containsExactly(
                java.util.Map.entry("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE"),
                java.util.Map.entry("AWS_DEFAULT_REGION", "us-east-2"),
                java.util.Map.entry("AWS_SECRET_ACCESS_KEY", "with spaces = and #"),
                java.util.Map.entry("QUOTED", "a \"b\""));
    }
}
