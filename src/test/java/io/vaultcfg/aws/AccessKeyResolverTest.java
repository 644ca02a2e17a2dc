package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessKeyResolverTest {
    final HeldCredentials good = new HeldCredentials("AKIAGOOD", "good-secret");
    final HeldCredentials stale = new HeldCredentials("AKIAOLD", "old-secret");
    final AwsState.AccessKey goodKey = new AwsState.AccessKey("AKIAGOOD", "Active", Instant.parse("2026-01-01T00:00:00Z"));
    final AwsState.AccessKey oldKey = new AwsState.AccessKey("AKIAOLD", "Active", Instant.parse("2025-01-01T00:00:00Z"));

    Map<String, Optional<HeldCredentials>> held(Object... hostAndPair) {
        Map<String, Optional<HeldCredentials>> map = new LinkedHashMap<>();
        for (int i = 0; i < hostAndPair.length; i += 2) {
            map.put((String) hostAndPair[i], Optional.ofNullable((HeldCredentials) hostAndPair[i + 1]));
        }
        return map;
    }

    @Test
    void aVerifiedPairHeldByAHostIsTheKeyAndOthersReceiveIt() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey), held("h1", good, "h2", null), good::equals);
        assertThat(resolution.reuse()).contains(good);
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.notes()).anyMatch(note -> note.startsWith("h2: holds no access key"));
    }

    @Test
    void noHostHoldingAWorkingPairMeansANewKey() {
        var resolution = AccessKeyResolver.resolve("u", List.of(), held("h1", null), pair -> false);
        assertThat(resolution.create()).isTrue();
        assertThat(resolution.deleteFirst()).isEmpty();
    }

    @Test
    void aThirdKeyReplacesOnlyAKeyNoHostHolds() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), held("h1", good), pair -> false);
        assertThat(resolution.create()).isTrue();
        assertThat(resolution.deleteFirst()).contains("AKIAOLD");
    }

    @Test
    void twoKeysBothHeldAndNoneWorkingStops() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), held("h1", good, "h2", stale), pair -> false);
        assertThat(resolution.stop()).get().asString().contains("already has 2 keys");
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.deleteFirst()).isEmpty();
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(good.toString()).doesNotContain("good-secret");
    }
}
