package io.vaultcfg.playbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small part of Ansible's {@code when:} language that configuration playbooks use:
 * {@code name}, {@code not x}, {@code x and y}, {@code x or y}, parentheses, {@code ==}, {@code !=},
 * {@code is defined}, {@code is not defined}, string, number and boolean literals.
 */
public final class WhenExpression {
    private static final Pattern TOKEN = Pattern.compile(
            "\\s*(?:(\\()|(\\))|(==|!=)|('(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\")|(-?\\d+(?:\\.\\d+)?)|([A-Za-z_][\\w.]*))");

    private final List<String> tokens;
    private int position;

    private WhenExpression(List<String> tokens) {
        this.tokens = tokens;
    }

    /** Checks the syntax; throws IllegalArgumentException with a readable reason. */
    public static void parse(String text) {
        new WhenExpression(tokenize(text)).evaluateAll(null);
    }

    public static boolean evaluate(String text, Map<String, Object> vars) {
        return new WhenExpression(tokenize(text)).evaluateAll(vars);
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(text);
        int at = 0;
        while (at < text.length()) {
            if (text.substring(at).isBlank()) {
                break;
            }
            if (!matcher.find(at) || matcher.start() != at) {
                throw new IllegalArgumentException("cannot read the condition near position " + (at + 1)
                        + " (supported: names, ==, !=, and, or, not, is defined, quoted text, numbers)");
            }
            tokens.add(matcher.group().trim());
            at = matcher.end();
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("empty condition");
        }
        return tokens;
    }

    /** With null vars only the grammar is checked. */
    private boolean evaluateAll(Map<String, Object> vars) {
        boolean result = orExpression(vars);
        if (position != tokens.size()) {
            throw new IllegalArgumentException("unexpected '" + tokens.get(position) + "' in condition");
        }
        return result;
    }

    private boolean orExpression(Map<String, Object> vars) {
        boolean result = andExpression(vars);
        while (accept("or")) {
            // Short-circuit like Jinja: once decided, the rest is only checked for syntax.
            boolean right = andExpression(result ? null : vars);
            result = result || right;
        }
        return result;
    }

    private boolean andExpression(Map<String, Object> vars) {
        boolean result = notExpression(vars);
        while (accept("and")) {
            boolean right = notExpression(result ? vars : null);
            result = result && right;
        }
        return result;
    }

    private boolean notExpression(Map<String, Object> vars) {
        if (accept("not")) {
            return !notExpression(vars);
        }
        return comparison(vars);
    }

    private boolean comparison(Map<String, Object> vars) {
        if (accept("(")) {
            boolean inner = orExpression(vars);
            expect(")");
            return inner;
        }
        String operand = next();
        if (accept("is")) {
            boolean negate = accept("not");
            expect("defined");
            boolean defined = vars != null && isName(operand) && vars.containsKey(operand);
            return negate != defined;
        }
        if (position < tokens.size() && (peek().equals("==") || peek().equals("!="))) {
            boolean equal = next().equals("==");
            String right = next();
            if (vars == null) {
                return false;
            }
            return equal == Objects.equals(normalize(value(operand, vars)), normalize(value(right, vars)));
        }
        return vars != null && truthy(value(operand, vars));
    }

    private Object value(String token, Map<String, Object> vars) {
        if (token.startsWith("'") || token.startsWith("\"")) {
            return token.substring(1, token.length() - 1).replaceAll("\\\\(.)", "$1");
        }
        if (token.matches("-?\\d+(?:\\.\\d+)?")) {
            return token;
        }
        switch (token.toLowerCase()) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                break;
        }
        if (!vars.containsKey(token)) {
            throw new IllegalArgumentException("condition uses undefined variable '" + token
                    + "' (test it with '" + token + " is defined')");
        }
        return vars.get(token);
    }

    private static Object normalize(Object value) {
        if (value instanceof Number number) {
            return number.doubleValue() == Math.rint(number.doubleValue())
                    ? String.valueOf(number.longValue()) : String.valueOf(number.doubleValue());
        }
        return value == null ? null : value instanceof Boolean ? value : String.valueOf(value);
    }

    static boolean truthy(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        String text = String.valueOf(value).trim().toLowerCase();
        return !(text.isEmpty() || text.equals("false") || text.equals("no") || text.equals("0") || text.equals("off"));
    }

    private static boolean isName(String token) {
        return token.matches("[A-Za-z_][\\w.]*");
    }

    private boolean accept(String token) {
        if (position < tokens.size() && tokens.get(position).equals(token)) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(String token) {
        if (!accept(token)) {
            throw new IllegalArgumentException("expected '" + token + "' in condition");
        }
    }

    private String peek() {
        return tokens.get(position);
    }

    private String next() {
        if (position >= tokens.size()) {
            throw new IllegalArgumentException("condition ends too early");
        }
        return tokens.get(position++);
    }
}
