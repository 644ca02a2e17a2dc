package io.vaultcfg.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultcfg.plan.Unknown;
import io.vaultcfg.vars.Interpolator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A value only applying can produce is a type of its own, and the renderers show it as Terraform does. */
class UnknownRenderingTest {
    @TempDir
    Path dir;

    @Test
    void aTemplateShowsAnUnknownValueAsKnownAfterApplyAlsoThroughBuiltIns() throws IOException {
        Files.writeString(dir.resolve("seal.ftl"), "kms_key_id = \"${kms_key_id?json_string}\"\nraw=${kms_key_id}\n"
                + "<#if kms_key_id?has_content>set</#if>\n");
        String rendered = new TemplateRenderer(List.of(dir)).render("seal.ftl", Map.of("kms_key_id", new Unknown("kms_key_id")),
                "play.yml:3");
        assertThat(rendered).isEqualTo("kms_key_id = \"(known after apply)\"\nraw=(known after apply)\nset\n");
    }

    @Test
    void aPlaybookReferenceShowsItTooWholeOrEmbedded() {
        Map<String, Object> vars = Map.of("key", new Unknown("key"));
        assertThat(Interpolator.resolve("{{ key }}", vars, "play.yml:1", "arg")).isEqualTo(UnknownText.TEXT);
        assertThat(Interpolator.resolve("id={{ key }}", vars, "play.yml:1", "arg")).isEqualTo("id=(known after apply)");
    }

    @Test
    void knownValuesAreUntouched() {
        assertThat(UnknownText.of("abc")).isEqualTo("abc");
        assertThat(UnknownText.of(new Unknown("x"))).isEqualTo("(known after apply)");
    }
}
