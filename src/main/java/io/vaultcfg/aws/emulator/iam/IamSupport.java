package io.vaultcfg.aws.emulator.iam;

import io.vaultcfg.aws.emulator.auth.Authorizer;
import io.vaultcfg.aws.emulator.auth.Caller;
import io.vaultcfg.aws.emulator.http.CallContext;
import io.vaultcfg.aws.emulator.http.QueryParams;
import io.vaultcfg.aws.emulator.http.XmlWriter;
import io.vaultcfg.aws.emulator.policy.MalformedPolicyException;
import io.vaultcfg.aws.emulator.policy.PolicyDocument;
import io.vaultcfg.aws.emulator.policy.PolicyKind;
import io.vaultcfg.aws.emulator.state.EmulatorState;
import io.vaultcfg.aws.emulator.state.IamUser;
import io.vaultcfg.aws.emulator.state.ManagedPolicy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** What the IAM action groups share: state, authorization, name/ARN validation, paging, document encoding. */
final class IamSupport {
    private static final Pattern NAME = Pattern.compile("[\\w+=,.@-]+");
    private static final Pattern PATH = Pattern.compile("(/[\\x21-\\x7E]*/)|/");

    final EmulatorState state;
    final Authorizer authorizer;
    final Clock clock;
    private final Duration propagationDelay;

    IamSupport(EmulatorState state, Authorizer authorizer, Clock clock, Duration propagationDelay) {
        this.state = state;
        this.authorizer = authorizer;
        this.clock = clock;
        this.propagationDelay = propagationDelay;
    }

    /** A user or managed policy named by a call: IAM shows a new one to other calls only after it propagated. */
    boolean propagated(Instant created) {
        return propagationDelay.isZero() || !clock.instant().isBefore(created.plus(propagationDelay));
    }

    void authorize(CallContext call, String action, String resource) {
        authorizer.require(call.caller(), "iam:" + action, resource);
    }

    String arn(String type, String path, String name) {
        return "arn:aws:iam::" + state.accountId() + ":" + type + path + name;
    }

    static String name(QueryParams params, String parameter, int maxLength) {
        String value = params.required(parameter);
        if (value.length() > maxLength || !NAME.matcher(value).matches()) {
            throw IamErrors.validation("1 validation error detected: Value '" + value + "' at '"
                    + Character.toLowerCase(parameter.charAt(0)) + parameter.substring(1)
                    + "' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
        }
        return value;
    }

    static String path(QueryParams params) {
        String path = params.getOrDefault("Path", "/");
        if (path.length() > 512 || !PATH.matcher(path).matches()) {
            throw IamErrors.validation("1 validation error detected: Value '" + path + "' at 'path' failed to "
                    + "satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F)");
        }
        return path;
    }

    IamUser user(String name) {
        return state.user(name).filter(user -> propagated(user.created()))
                .orElseThrow(() -> IamErrors.noSuchEntity("The user with name " + name + " cannot be found."));
    }

    /** {@code UserName} when given, else the calling user (AWS's default for self-service actions). */
    IamUser userOrCaller(CallContext call, QueryParams params) {
        String name = params.get("UserName");
        if (name != null && !name.isEmpty()) {
            return user(name);
        }
        Caller caller = call.caller();
        if (caller.kind() != Caller.Kind.USER) {
            throw IamErrors.validation("Must specify userName when calling with non-User credentials");
        }
        return user(caller.name());
    }

    ManagedPolicy policy(String policyArn) {
        requireValidPolicyArn(policyArn);
        ManagedPolicy policy = state.policies().get(policyArn);
        if (policy == null || !propagated(policy.created())) {
            throw IamErrors.noSuchEntity("Policy " + policyArn + " does not exist or is not attachable.");
        }
        return policy;
    }

    static void requireValidPolicyArn(String policyArn) {
        String[] parts = policyArn.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals("iam") || !parts[5].startsWith("policy/")
                || parts[5].length() <= "policy/".length()) {
            throw IamErrors.invalidInput("ARN " + policyArn + " is not valid.");
        }
    }

    static void requireValidDocument(String document, PolicyKind kind) {
        try {
            PolicyDocument.parse(document, kind);
        } catch (MalformedPolicyException e) {
            throw IamErrors.malformedPolicy(e.getMessage());
        }
    }

    /** Policy sizes count characters other than whitespace, as IAM's quotas do. */
    static int policySize(String document) {
        return document.replaceAll("\\s", "").length();
    }

    /** RFC 3986 encoding, how IAM returns policy documents (botocore unquotes them; '+' would survive as '+'). */
    static String urlEncode(String document) {
        return URLEncoder.encode(document, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    /** Writes {@code <listName><member>..}{@code </listName><IsTruncated/><Marker/>} with MaxItems/Marker paging. */
    static <T> void page(XmlWriter out, String listName, List<T> all, QueryParams params, Consumer<T> member) {
        Integer maxItems = params.integer("MaxItems");
        int size = maxItems == null ? 100 : maxItems;
        if (size < 1 || size > 1000) {
            throw IamErrors.validation("1 validation error detected: Value '" + size + "' at 'maxItems' failed to "
                    + "satisfy constraint: Member must have value less than or equal to 1000");
        }
        int from;
        try {
            from = params.get("Marker") == null ? 0 : Integer.parseInt(params.get("Marker"));
        } catch (NumberFormatException e) {
            throw IamErrors.invalidInput("Invalid Marker.");
        }
        if (from < 0 || from > all.size()) {
            throw IamErrors.invalidInput("Invalid Marker.");
        }
        int to = Math.min(all.size(), from + size);
        out.start(listName);
        all.subList(from, to).forEach(member);
        out.end();
        out.element("IsTruncated", to < all.size());
        if (to < all.size()) {
            out.element("Marker", to);
        }
    }
}
