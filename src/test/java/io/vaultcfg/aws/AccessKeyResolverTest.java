package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessKeyResolverTest {
    final HeldCredentials good = new HeldCredentials("AKIAGOOD", "good-secret");
    final HeldCredentials stale = new HeldCredentials("AKIAOLD", "old-secret");
    final AwsState.AccessKey goodKey = new AwsState.AccessKey("AKIAGOOD", "Active", Instant.parse("2026-01-01T00:00:00Z"));
    final AwsState.AccessKey oldKey = new AwsState.AccessKey("AKIAOLD", "Active", Instant.parse("2025-01-01T00:00:00Z"));
    final AwsState.AccessKey oldInactive = new AwsState.AccessKey("AKIAOLD", "Inactive", Instant.parse("2025-01-01T00:00:00Z"));

    /** Read, targeted hosts: name, then the pair it holds (or null). */
    List<FleetMember> held(Object... hostAndPair) {
        List<FleetMember> fleet = new ArrayList<>();
        for (int i = 0; i < hostAndPair.length; i += 2) {
            fleet.add(FleetMember.read((String) hostAndPair[i], true, Optional.ofNullable((HeldCredentials) hostAndPair[i + 1]),
                    Optional.empty(), FleetMember.Node.INITIALIZED));
        }
        return fleet;
    }

    static List<FleetMember> plus(List<FleetMember> fleet, FleetMember member) {
        List<FleetMember> all = new ArrayList<>(fleet);
        all.add(member);
        return all;
    }

    static <T extends AwsChange> List<T> of(AccessKeyResolver.Resolution resolution, Class<T> type) {
        return resolution.changes().stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Test
    void aVerifiedPairHeldByAHostIsTheKeyAndOthersReceiveIt() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey), AccessKeyTags.none(), held("h1", good, "h2", null), good::equals);
        assertThat(resolution.reuse()).contains(good);
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.notes()).anyMatch(note -> note.startsWith("h2: holds no access key"));
        assertThat(of(resolution, AwsChange.TagUser.class)).singleElement()
                .satisfies(tag -> assertThat(tag.tags()).containsEntry(AccessKeyTags.IN_USE, "AKIAGOOD"));
    }

    @Test
    void theTaggedKeyInUseIsNotTaggedAgain() {
        var tags = AccessKeyTags.of(Map.of("VaultCfg:Access-Key", "AKIAGOOD"));
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey), tags, held("h1", good), good::equals);
        assertThat(resolution.changes()).isEmpty();
    }

    @Test
    void noHostHoldingAWorkingPairMeansANewKey() {
        var resolution = AccessKeyResolver.resolve("u", List.of(), AccessKeyTags.none(), held("h1", null), pair -> false);
        assertThat(resolution.create()).isTrue();
        assertThat(resolution.changes()).isEmpty();
    }

    @Test
    void anUnreadHostStopsANewKeyAndSaysHowToForgetIt() {
        var fleet = plus(held("h1", null), FleetMember.unread("h2", false, "unreachable: connection refused", false));
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey), AccessKeyTags.of(Map.of(AccessKeyTags.IN_USE, "AKIAGOOD")),
                fleet, pair -> false);
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.changes()).isEmpty();
        assertThat(resolution.stop()).get().asString()
                .contains("h2 (unreachable: connection refused) was not read", "AKIAGOOD", "-e vaultcfg_forget_hosts=h2");
    }

    @Test
    void aForgottenHostNoLongerBlocks() {
        var fleet = plus(held("h1", null), FleetMember.unread("h2", false, "unreachable", true));
        var resolution = AccessKeyResolver.resolve("u", List.of(), AccessKeyTags.none(), fleet, pair -> false);
        assertThat(resolution.stop()).isEmpty();
        assertThat(resolution.create()).isTrue();
        assertThat(resolution.notes()).anyMatch(note -> note.contains("h2: not read and forgotten"));
    }

    @Test
    void noKeyIsMadeWhenNoTargetedHostWasRead() {
        var fleet = List.of(FleetMember.read("h1", false, Optional.empty(), Optional.empty(), FleetMember.Node.UNKNOWN),
                FleetMember.unread("h2", true, "unreachable", true));
        var resolution = AccessKeyResolver.resolve("u", List.of(), AccessKeyTags.none(), fleet, pair -> false);
        assertThat(resolution.stop()).get().asString().contains("no targeted host can receive it");
    }

    @Test
    void withAnUnreadHostAWorkingKeyIsStillDeliveredButNoOtherKeyIsRetired() {
        var fleet = plus(held("h1", good), FleetMember.unread("h2", true, "unreachable", false));
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), AccessKeyTags.none(), fleet, good::equals);
        assertThat(resolution.reuse()).contains(good);
        assertThat(of(resolution, AwsChange.DeactivateAccessKey.class)).isEmpty();
        assertThat(of(resolution, AwsChange.DeleteAccessKey.class)).isEmpty();
    }

    @Test
    void aKeyNoHostHoldsIsDeactivatedFirstAndDeletedOnlyInALaterRun() {
        var first = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), AccessKeyTags.none(), held("h1", good), good::equals);
        assertThat(of(first, AwsChange.DeactivateAccessKey.class)).extracting(AwsChange.DeactivateAccessKey::accessKeyId)
                .containsExactly("AKIAOLD");
        assertThat(of(first, AwsChange.DeleteAccessKey.class)).isEmpty();

        var tags = AccessKeyTags.of(Map.of(AccessKeyTags.IN_USE, "AKIAGOOD", AccessKeyTags.DEACTIVATED_PREFIX + "AKIAOLD",
                "2026-01-02T00:00:00Z"));
        var later = AccessKeyResolver.resolve("u", List.of(goodKey, oldInactive), tags, held("h1", good), good::equals);
        assertThat(of(later, AwsChange.DeleteAccessKey.class)).singleElement().satisfies(delete -> {
            assertThat(delete.accessKeyId()).isEqualTo("AKIAOLD");
            assertThat(delete.tagKeys()).containsExactly(AccessKeyTags.DEACTIVATED_PREFIX + "AKIAOLD");
        });
    }

    @Test
    void aKeyAHostStillHoldsIsNeitherDeactivatedNorDeleted() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldInactive),
                AccessKeyTags.of(Map.of(AccessKeyTags.DEACTIVATED_PREFIX + "AKIAOLD", "2026-01-02T00:00:00Z")),
                held("h1", good, "h2", stale), good::equals);
        assertThat(of(resolution, AwsChange.DeleteAccessKey.class)).isEmpty();
        assertThat(of(resolution, AwsChange.DeactivateAccessKey.class)).isEmpty();
        assertThat(resolution.notes()).anyMatch(note -> note.contains("AKIAOLD is still held by h2"));
    }

    @Test
    void anUndeliveredKeyFromACutOffRunIsDeletedAndTheWorkingOneKept() {
        var tags = AccessKeyTags.of(Map.of(AccessKeyTags.IN_USE, "AKIAOLD", AccessKeyTags.UNDELIVERED_PREFIX + "AKIAGOOD",
                "2026-01-02T00:00:00Z"));
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), tags, held("h1", stale, "h2", stale),
                stale::equals);
        assertThat(resolution.reuse()).contains(stale);
        assertThat(resolution.create()).isFalse();
        assertThat(of(resolution, AwsChange.DeleteAccessKey.class)).extracting(AwsChange.DeleteAccessKey::accessKeyId)
                .containsExactly("AKIAGOOD");
    }

    @Test
    void aThirdKeyReplacesOnlyAKeyDeactivatedEarlier() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldInactive), AccessKeyTags.none(), held("h1", good),
                pair -> false);
        assertThat(resolution.create()).isTrue();
        assertThat(of(resolution, AwsChange.DeleteAccessKey.class)).extracting(AwsChange.DeleteAccessKey::accessKeyId)
                .containsExactly("AKIAOLD");
    }

    @Test
    void twoKeysOneActiveAndUnheldStopsRatherThanDeleteAKeyItJustDeactivated() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), AccessKeyTags.none(), held("h1", good),
                pair -> false);
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.changes()).isEmpty();
        assertThat(resolution.stop()).get().asString().contains("AKIAOLD is held by no host", "--status Inactive");
    }

    @Test
    void twoKeysBothHeldAndNoneWorkingStops() {
        var resolution = AccessKeyResolver.resolve("u", List.of(goodKey, oldKey), AccessKeyTags.none(),
                held("h1", good, "h2", stale), pair -> false);
        assertThat(resolution.stop()).get().asString().contains("already has 2 keys");
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.changes()).isEmpty();
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(good.toString()).doesNotContain("good-secret");
    }
}
