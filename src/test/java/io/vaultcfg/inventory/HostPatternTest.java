package io.vaultcfg.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected selections are what ansible-core 2.19 ({@code ansible -i FILE all --list-hosts --limit P}) prints. */
class HostPatternTest {
    static final String INVENTORY = """
            all:
              hosts:
                bastion:
                myvault-9:
              children:
                vault:
                  hosts:
                    vault-01:
                    vault-02:
                db:
                  hosts:
                    db-1:
                    vaultdb:
                vaulted:
                  hosts:
                    x1:
            """;

    @TempDir
    Path dir;
    Inventory inventory;

    @BeforeEach
    void load() throws IOException {
        Path file = dir.resolve("hosts.yml");
        Files.writeString(file, INVENTORY);
        inventory = InventoryLoader.load(file);
    }

    List<String> select(String pattern) {
        return inventory.select(pattern, "--limit").stream().map(Host::name).sorted().toList();
    }

    @Test
    void excludingARegexExcludesEveryNameItMatchesAtTheStart() {
        // re.match: 'vault' matches vault-01, vaultdb and the group 'vaulted' (bringing x1), not myvault-9
        assertThat(select("all:!~vault")).containsExactly("bastion", "db-1", "myvault-9");
        assertThat(select("~vault")).containsExactly("vault-01", "vault-02", "vaultdb", "x1");
    }

    @Test
    void onlyNegativeOrIntersectionTermsStartFromAll() {
        assertThat(select("!~vault")).containsExactly("bastion", "db-1", "myvault-9");
        assertThat(select("&db")).containsExactly("db-1", "vaultdb");
        assertThat(select("all:&~d")).containsExactly("db-1", "vaultdb");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "~vault-0[12]:~db; db-1,vault-01,vault-02,vaultdb",
        "vault*          ; vault-01,vault-02,vaultdb,x1",
        "v?ult           ; vault-01,vault-02",
        "~(vault|db)$    ; db-1,vault-01,vault-02,vaultdb",
        "vault:!vault-01 ; vault-02",
        "~.*db           ; db-1,vaultdb",
        "db-[!2]         ; db-1",
        "'vault, db-1'   ; db-1,vault-01,vault-02",
    })
    void patternsSelectWhatAnsibleSelects(String pattern, String expected) {
        assertThat(select(pattern)).containsExactly(expected.split(","));
    }

    @Test
    void withACommaColonsDoNotSplit() {
        // Ansible reads 'db:!x' as one (literal) term here, so nothing is excluded and db is not added
        assertThat(select("vault,db:!x")).containsExactly("vault-01", "vault-02");
    }

    @Test
    void aHostAddressWithAPortIsOneTerm() {
        assertThat(HostPattern.split("vault-01:22")).containsExactly("vault-01:22");
        assertThat(HostPattern.split("dc1:!dc2")).containsExactly("dc1", "!dc2");
        assertThat(HostPattern.split("web[1:3]:&dc1")).containsExactly("web[1:3]", "&dc1");
        assertThat(HostPattern.split("fe80::1")).containsExactly("fe80::1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"~vault++", "~(?P<n>vault)", "~(?<n>vault)", "~\\p{L}+", "~(?i)VAULT", "~(?<=a)b",
        "~[a[b]]", "~[a&&b]", "~\\Z", "~(a)\\1", "~[]a]"})
    void regexSyntaxThatJavaAndPythonReadDifferentlyIsRefused(String pattern) {
        assertThatThrownBy(() -> inventory.select("all:!" + pattern, "--limit"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("--limit: field 'hosts': ")
                .hasMessageContaining("regular expression");
    }

    @Test
    void subscriptsAreRefusedNotMisread() {
        assertThatThrownBy(() -> inventory.select("vault[0:1]", "--limit")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("subscripts");
    }

    @Test
    void regexClassEscapesOnNonAsciiNamesAreRefused() throws IOException {
        Path file = dir.resolve("utf.yml");
        Files.writeString(file, "all:\n  hosts:\n    café-1:\n");
        Inventory accented = InventoryLoader.load(file);
        assertThat(accented.select("~caf", "t")).hasSize(1);
        assertThatThrownBy(() -> accented.select("~caf\\w", "t")).hasMessageContaining("not ASCII");
    }
}
