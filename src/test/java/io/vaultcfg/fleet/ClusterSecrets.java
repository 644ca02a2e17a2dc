package io.vaultcfg.fleet;

import java.util.List;

/**
 * What {@code operator init} hands out, held in memory only: the unseal keys (Shamir) or recovery keys (awskms),
 * and the root token. Test secrets, kept with the product's discipline all the same: never on a command line, in a
 * file, a log or a message ({@link #toString} shows none), so a test may look for them in every output as canaries.
 */
public final class ClusterSecrets {
    private final List<String> keys;
    private final int threshold;
    private final String rootToken;

    ClusterSecrets(List<String> keys, int threshold, String rootToken) {
        this.keys = List.copyOf(keys);
        this.threshold = threshold;
        this.rootToken = rootToken;
    }

    /** The unseal keys of a Shamir cluster, the recovery keys of an awskms one (base64). */
    public List<String> keys() {
        return keys;
    }

    /** As many keys as unsealing (or a recovery operation) takes. */
    public List<String> thresholdKeys() {
        return keys.subList(0, threshold);
    }

    public int threshold() {
        return threshold;
    }

    public String rootToken() {
        return rootToken;
    }

    /** Every secret here, for tests that assert none of them appears anywhere. */
    public List<String> all() {
        return java.util.stream.Stream.concat(keys.stream(), java.util.stream.Stream.of(rootToken)).toList();
    }

    @Override
    public String toString() {
        return "ClusterSecrets[" + keys.size() + " keys, threshold " + threshold + ", root token: <redacted>]";
    }
}
