package io.vaultcfg.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlainJsonTest {
    @Test
    @SuppressWarnings("unchecked")
    void readsObjectsArraysAndScalarsInDocumentOrder() {
        Object value = PlainJson.parse("{\"b\": [1, 2.5, \"x\", true, false, null], \"a\": {\"c\": \"\\u00e9\"}}").orElseThrow();

        Map<String, Object> root = PlainJson.object(value);
        assertThat(root.keySet()).containsExactly("b", "a");
        assertThat((List<Object>) root.get("b")).containsExactly("1", "2.5", "x", true, false, PlainJson.NULL);
        assertThat(PlainJson.object(root.get("a"))).containsEntry("c", "é");
    }

    @Test
    void anythingButExactlyOneJsonValueIsNotJson() {
        assertThat(PlainJson.parse("not json")).isEmpty();
        assertThat(PlainJson.parse("{\"a\": 1} trailing")).isEmpty();
        assertThat(PlainJson.parse("{\"a\": ")).isEmpty();
        assertThat(PlainJson.parse("")).isEmpty();
        assertThat(PlainJson.object("a string")).isEmpty();
    }
}
