package io.vaultcfg.aws.emulator.policy;

import java.util.List;
import java.util.Locale;

/**
 * One {@code "Operator": {"key": [values]}} clause. Supported operators: String(Not)Equals(IgnoreCase),
 * String(Not)Like, ArnEquals/ArnLike (and Not), Bool, each optionally ...IfExists. Anything else is
 * {@link #supported() unsupported}, which the evaluator treats conservatively.
 */
public record Condition(String operator, String key, List<String> values) {

    public boolean supported() {
        return baseOperator() != null;
    }

    /** Whether the clause holds for the request; call only when {@link #supported()}. */
    public boolean holds(RequestContext context) {
        List<String> actual = context.values(key);
        if (actual.isEmpty()) {
            // A missing key satisfies only ...IfExists and the negated operators, as in AWS.
            return ifExists() || baseOperator().startsWith("StringNot") || baseOperator().startsWith("ArnNot");
        }
        String op = baseOperator();
        boolean negated = op.startsWith("StringNot") || op.startsWith("ArnNot");
        boolean anyMatch = actual.stream().anyMatch(a -> values.stream().anyMatch(v -> matchesOne(op, v, a)));
        return negated != anyMatch;
    }

    private boolean matchesOne(String op, String expected, String actual) {
        return switch (op) {
            case "StringEquals", "StringNotEquals", "ArnEquals", "ArnNotEquals" -> expected.equals(actual);
            case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase", "Bool" -> expected.equalsIgnoreCase(actual);
            case "StringLike", "StringNotLike", "ArnLike", "ArnNotLike" -> Glob.matches(expected, actual, false);
            default -> false;
        };
    }

    private boolean ifExists() {
        return operator.endsWith("IfExists");
    }

    private String baseOperator() {
        String op = ifExists() ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        return switch (op) {
            case "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
                 "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Bool" -> op;
            default -> null;
        };
    }

    public String normalizedKey() {
        return key.toLowerCase(Locale.ROOT);
    }
}
