package io.vaultcfg.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * What a host answers for {@link ServiceConfigFact}, taken apart: the units' second stat shares one call with the configs'
 * first, before the separator "/"; the units' contents come each followed by a line break. An answer that does not add up
 * leaves no unit's content in use.
 */
class ServiceConfigReadTest {
    static final String UNIT = "S|10|81a4|root|root|2049:11:1:1700000000|/etc/systemd/system/vault.service";
    static final String SEPARATOR = "S|4096|41ed|root|root|2049:2:20:1600000000|/";
    static final String CONFIG = "S|2|81a4|root|vault|2049:12:1:1700000000|/etc/vault.d/vault.hcl";
    static final String CONFIG_AFTER = "A|2049:12:1:1700000000|2|81a4|/etc/vault.d/vault.hcl";

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static ServiceConfigRead parse(String unitContents, String... configsSection) {
        return ServiceConfigRead.parse(String.join("\n", "U|FragmentPath=/etc/systemd/system/vault.service", "=units", UNIT,
                "B|" + base64(unitContents), "=configs", String.join("\n", configsSection), "B|" + base64("x\n"), CONFIG_AFTER), 1024 * 1024);
    }

    @Test
    void aUnitFollowedByItsLineBreakAndTheFinalOneIsRead() {
        ServiceConfigRead read = parse("[Service]\n\n\n", UNIT, SEPARATOR, CONFIG);

        assertThat(read.units().get("/etc/systemd/system/vault.service").text()).hasValue("[Service]\n");
        assertThat(read.configs()).containsOnlyKeys("/etc/vault.d/vault.hcl");
        assertThat(read.configs().get("/etc/vault.d/vault.hcl").text()).hasValue("x\n");
    }

    @Test
    void withoutTheSeparatorNoUnitHasASecondStat() {
        ServiceConfigRead read = parse("[Service]\n\n\n", UNIT, CONFIG);

        assertThat(read.units().get("/etc/systemd/system/vault.service").unreadable()).hasValue("changed while it was read; run again");
        assertThat(read.units().get("/etc/systemd/system/vault.service").state().content()).isEmpty();
    }

    @Test
    void contentsThatDoNotFitTheSizesStatSawAreNotUsed() {
        // a byte short (a NUL the shell dropped), a wrong separator, no final line break, a byte too many
        for (String contents : new String[] {"[Service\n\n\n", "[Service]x\n", "[Service]\n\n", "[Service]\n\n\n\n"}) {
            ServiceConfigRead read = parse(contents, UNIT, SEPARATOR, CONFIG);

            assertThat(read.units().get("/etc/systemd/system/vault.service").state().content()).as(contents).isEmpty();
            assertThat(read.units().get("/etc/systemd/system/vault.service").unreadable()).as(contents)
                    .hasValueSatisfying(why -> assertThat(why).contains("NUL byte"));
            assertThat(read.configs().get("/etc/vault.d/vault.hcl").text()).hasValue("x\n");
        }
    }

    @Test
    void aUnitThatChangedBetweenItsStatsIsRefused() {
        String later = UNIT.replace("1700000000", "1700000001");

        ServiceConfigRead read = parse("[Service]\n\n\n", later, SEPARATOR, CONFIG);

        assertThat(read.units().get("/etc/systemd/system/vault.service").unreadable()).hasValue("changed while it was read; run again");
        assertThat(read.units().get("/etc/systemd/system/vault.service").state().content()).isEmpty();
        assertThat(read.configs()).as("the separator and the units' second stat are no configs").containsOnlyKeys("/etc/vault.d/vault.hcl");
    }
}
