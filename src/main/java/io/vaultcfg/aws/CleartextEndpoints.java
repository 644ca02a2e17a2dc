package io.vaultcfg.aws;

import java.net.URI;
import java.util.Optional;

/**
 * An AWS endpoint must use TLS unless it is on this machine: CreateAccessKey answers with the new
 * secret, and KMS Encrypt/Decrypt carry Vault's root key, so plain http to another host would put
 * both on the wire in clear text.
 */
public final class CleartextEndpoints {
    private CleartextEndpoints() {
    }

    /** Why {@code url} is refused, or empty when it is https, or http to a loopback address. */
    public static Optional<String> refusal(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Optional.of("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            return Optional.of("expected an https:// URL with a host name");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            return Optional.of("plain http to " + uri.getHost() + " is refused: a new access key's secret and the data KMS "
                    + "encrypts would travel in clear text; use https:// (http:// is accepted only for 127.0.0.0/8, ::1 "
                    + "and localhost)");
        }
        return Optional.empty();
    }

    /** Literal loopback addresses and the name localhost only: no name is resolved here. */
    static boolean isLoopback(String host) {
        String name = host.toLowerCase(java.util.Locale.ROOT);
        if (name.equals("localhost") || name.equals("[::1]") || name.equals("::1")) {
            return true;
        }
        String[] octets = name.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String octet : octets) {
            if (!octet.matches("\\d{1,3}") || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
