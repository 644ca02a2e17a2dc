package io.vaultcfg.aws.emulator.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The form parameters of an awsQuery request, with the list/map conventions IAM and STS use. */
public final class QueryParams {
    private final Map<String, String> values;

    private QueryParams(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code a=b&c=d} form text; a bad percent-escape is a MalformedQueryString error. */
    public static QueryParams parse(String... formTexts) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String text : formTexts) {
            if (text == null || text.isEmpty()) {
                continue;
            }
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    values.put(name, value);
                } catch (IllegalArgumentException e) {
                    throw new AwsServiceException("MalformedQueryString",
                            "The request body is not a valid application/x-www-form-urlencoded document.", 400);
                }
            }
        }
        return new QueryParams(values);
    }

    public String get(String name) {
        return values.get(name);
    }

    public String required(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            throw missing(name);
        }
        return value;
    }

    public String getOrDefault(String name, String fallback) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    public boolean flag(String name) {
        return "true".equalsIgnoreCase(values.get(name));
    }

    public Integer integer(String name) {
        String value = values.get(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new AwsServiceException("ValidationError", "1 validation error detected: Value '" + value
                    + "' at '" + memberName(name) + "' failed to satisfy constraint: Member must be a number", 400);
        }
    }

    /** {@code Prefix.member.1}, {@code Prefix.member.2}, ... in order. */
    public List<String> members(String prefix) {
        List<String> list = new ArrayList<>();
        for (int i = 1; values.containsKey(prefix + ".member." + i); i++) {
            list.add(values.get(prefix + ".member." + i));
        }
        return list;
    }

    /** {@code Prefix.member.N.Key} / {@code .Value} pairs. */
    public Map<String, String> tags(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; values.containsKey(prefix + ".member." + i + ".Key"); i++) {
            tags.put(values.get(prefix + ".member." + i + ".Key"),
                    values.getOrDefault(prefix + ".member." + i + ".Value", ""));
        }
        return tags;
    }

    /** How many {@code Prefix.member.N.Key} entries the request has (repeated keys counted each time). */
    public int tagCount(String prefix) {
        int count = 0;
        while (values.containsKey(prefix + ".member." + (count + 1) + ".Key")) {
            count++;
        }
        return count;
    }

    public static AwsServiceException missing(String name) {
        return new AwsServiceException("ValidationError", "1 validation error detected: Value null at '"
                + memberName(name) + "' failed to satisfy constraint: Member must not be null", 400);
    }

    private static String memberName(String name) {
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
