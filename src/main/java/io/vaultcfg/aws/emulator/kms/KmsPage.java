package io.vaultcfg.aws.emulator.kms;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vaultcfg.aws.emulator.http.AwsServiceException;
import io.vaultcfg.aws.emulator.http.JsonParams;

import java.util.ArrayList;
import java.util.List;

/** Marker-based paging as KMS does it; the marker is an opaque offset. */
record KmsPage<T>(List<T> items, String nextMarker) {
    static <T> KmsPage<T> of(List<T> all, Integer limit, String marker) {
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw JsonParams.validation("Value '" + size + "' at 'limit' failed to satisfy constraint: "
                    + "Member must have minimum value of 1 and maximum value of 1000");
        }
        int from;
        try {
            from = marker == null ? 0 : Integer.parseInt(marker);
        } catch (NumberFormatException e) {
            throw new AwsServiceException("InvalidMarkerException", "Invalid marker: " + marker, 400);
        }
        if (from < 0 || from > all.size()) {
            throw new AwsServiceException("InvalidMarkerException", "Invalid marker: " + marker, 400);
        }
        int to = Math.min(all.size(), from + size);
        return new KmsPage<>(new ArrayList<>(all.subList(from, to)), to < all.size() ? String.valueOf(to) : null);
    }

    ObjectNode finish(ObjectNode body) {
        if (nextMarker != null) {
            body.put("NextMarker", nextMarker);
        }
        return body.put("Truncated", nextMarker != null);
    }
}
