package io.vaultcfg.aws.emulator.auth;

import io.vaultcfg.aws.emulator.request.AwsRequest;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** AWS Signature Version 4 (header form): parses the Authorization header and recomputes the signature. */
public final class SigV4Verifier {
    public static final String ALGORITHM = "AWS4-HMAC-SHA256";
    public static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    private static final Pattern PART = Pattern.compile("\\s*(Credential|SignedHeaders|Signature)\\s*=\\s*([^,\\s]+)\\s*");
    private static final HexFormat HEX = HexFormat.of();

    /** The parts of {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}. */
    public record ParsedAuthorization(String accessKeyId, String date, String region, String service,
                                      List<String> signedHeaders, String signature) {
        public String scope() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }

    private SigV4Verifier() {
    }

    /** Returns null when the header is absent; throws when it is present but malformed. */
    public static ParsedAuthorization parse(String header) {
        if (header == null) {
            return null;
        }
        String trimmed = header.trim();
        if (!trimmed.startsWith(ALGORITHM + " ")) {
            throw incomplete("Authorization header must start with " + ALGORITHM);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : trimmed.substring(ALGORITHM.length()).split(",")) {
            Matcher m = PART.matcher(part);
            if (!m.matches()) {
                throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
            }
            switch (m.group(1)) {
                case "Credential" -> credential = m.group(2);
                case "SignedHeaders" -> signedHeaders = m.group(2);
                default -> signature = m.group(2);
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw incomplete("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request") || scope[0].isEmpty()) {
            throw incomplete("Credential should be scoped to a valid region and service, e.g. <key>/<date>/<region>/<service>/aws4_request.");
        }
        List<String> headers = List.of(signedHeaders.toLowerCase(Locale.ROOT).split(";"));
        return new ParsedAuthorization(scope[0], scope[1], scope[2], scope[3], headers, signature.toLowerCase(Locale.ROOT));
    }

    private static AuthenticationException incomplete(String detail) {
        return new AuthenticationException(AuthFailure.INCOMPLETE_SIGNATURE, null, detail);
    }

    /** True when the signature in {@code auth} is what {@code secret} produces for this request. */
    public static boolean verify(AwsRequest request, ParsedAuthorization auth, String secret) {
        String amzDate = request.header("x-amz-date");
        if (amzDate == null) {
            amzDate = request.header("date");
        }
        String expected = sign(canonicalRequest(request, auth.signedHeaders()), amzDate, auth, secret);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                auth.signature().getBytes(StandardCharsets.US_ASCII));
    }

    public static String sign(String canonicalRequest, String amzDate, ParsedAuthorization auth, String secret) {
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + auth.scope() + "\n" + sha256Hex(canonicalRequest);
        byte[] key = signingKey(secret, auth.date(), auth.region(), auth.service());
        return HEX.formatHex(hmac(key, stringToSign));
    }

    public static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] kDate = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        byte[] kRegion = hmac(kDate, region);
        byte[] kService = hmac(kRegion, service);
        return hmac(kService, "aws4_request");
    }

    public static String canonicalRequest(AwsRequest request, List<String> signedHeaders) {
        StringBuilder out = new StringBuilder(512);
        out.append(request.method()).append('\n');
        out.append(canonicalUri(request.rawPath())).append('\n');
        out.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders) {
            String value = request.joinedHeader(name);
            out.append(name).append(':').append(value == null ? "" : value.trim().replaceAll(" +", " ")).append('\n');
        }
        out.append('\n').append(String.join(";", signedHeaders)).append('\n');
        out.append(payloadHash(request));
        return out.toString();
    }

    /** The client's declared payload hash when it sent one (possibly UNSIGNED-PAYLOAD), else the body's hash. */
    public static String payloadHash(AwsRequest request) {
        String declared = request.header("x-amz-content-sha256");
        return declared != null ? declared : sha256Hex(request.body());
    }

    // Non-S3 signers URI-encode the already-encoded path once more; for "/" this is a no-op.
    private static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        List<String> segments = new ArrayList<>();
        for (String segment : rawPath.split("/", -1)) {
            segments.add(uriEncode(segment));
        }
        return String.join("/", segments);
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            pairs.add(new String[]{uriEncode(percentDecode(name)), uriEncode(percentDecode(value))});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /** RFC 3986 encoding: everything but unreserved characters becomes %XX (upper-case hex). */
    public static String uriEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String percentDecode(String value) {
        try {
            return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
