package io.vaultcfg.playbook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WhenExpressionTest {
    final Map<String, Object> vars = Map.of("env", "prod", "enabled", true, "count", 3L, "off", "no");

    @Test
    void namesAreTruthyLikeAnsible() {
        assertThat(WhenExpression.evaluate("enabled", vars)).isTrue();
        assertThat(WhenExpression.evaluate("off", vars)).isFalse();
        assertThat(WhenExpression.evaluate("not off", vars)).isTrue();
    }

    @Test
    void comparisonsAndBooleanOperators() {
        assertThat(WhenExpression.evaluate("env == 'prod' and count == 3", vars)).isTrue();
        assertThat(WhenExpression.evaluate("env != \"prod\" or (enabled and not off)", vars)).isTrue();
        assertThat(WhenExpression.evaluate("env == 'dev'", vars)).isFalse();
    }

    @Test
    void definedTestsAndShortCircuit() {
        assertThat(WhenExpression.evaluate("missing is not defined", vars)).isTrue();
        assertThat(WhenExpression.evaluate("missing is defined and missing", vars)).isFalse();
        assertThat(WhenExpression.evaluate("enabled or missing", vars)).isTrue();
    }

    @Test
    void undefinedNamesAndUnsupportedSyntaxAreErrors() {
        assertThatThrownBy(() -> WhenExpression.evaluate("missing", vars)).hasMessageContaining("undefined variable 'missing'");
        assertThatThrownBy(() -> WhenExpression.parse("x | bool")).hasMessageContaining("cannot read the condition");
        assertThatThrownBy(() -> WhenExpression.parse("(a and b")).hasMessageContaining("expected ')'");
    }
}
