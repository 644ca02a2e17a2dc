package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The rotation's decisions over what AWS and the hosts hold (pure; the emulator runs are in RotateAccessKeyTest). */
class AccessKeyRotationTest {
    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    final HeldCredentials current = new HeldCredentials("AKIACURRENT", "current-secret");
    final HeldCredentials fresh = new HeldCredentials("AKIAFRESH", "fresh-secret");
    final AwsState.AccessKey currentKey = new AwsState.AccessKey("AKIACURRENT", "Active", NOW.minus(Duration.ofDays(40)));
    final AwsState.AccessKey freshKey = new AwsState.AccessKey("AKIAFRESH", "Active", NOW.minus(Duration.ofHours(1)));
    final AwsState.AccessKey oldInactive = new AwsState.AccessKey("AKIAOLD", "Inactive", NOW.minus(Duration.ofDays(90)));
    final AwsState.AccessKey oldActive = new AwsState.AccessKey("AKIAOLD", "Active", NOW.minus(Duration.ofDays(90)));

    static KeyRotation rotate() {
        return new KeyRotation(true, Optional.empty(), Duration.ofDays(7), NOW);
    }

    static KeyRotation rotateOlderThan(int days) {
        return new KeyRotation(true, Optional.of(Duration.ofDays(days)), Duration.ofDays(7), NOW);
    }

    static List<FleetMember> held(Object... hostAndPair) {
        List<FleetMember> fleet = new ArrayList<>();
        for (int i = 0; i < hostAndPair.length; i += 2) {
            fleet.add(FleetMember.read((String) hostAndPair[i], true, Optional.ofNullable((HeldCredentials) hostAndPair[i + 1]),
                    Optional.empty(), FleetMember.Node.INITIALIZED));
        }
        return fleet;
    }

    static AccessKeyTags deactivated(String id, Instant when) {
        return AccessKeyTags.of(Map.of(AccessKeyTags.IN_USE, "AKIACURRENT", AccessKeyTags.DEACTIVATED_PREFIX + id, when.toString()));
    }

    static <T extends AwsChange> List<T> of(AccessKeyResolver.Resolution resolution, Class<T> type) {
        return resolution.changes().stream().filter(type::isInstance).map(type::cast).toList();
    }

    AccessKeyResolver.Resolution resolve(List<AwsState.AccessKey> keys, AccessKeyTags tags, List<FleetMember> fleet,
                                         KeyRotation rotation) {
        return AccessKeyResolver.resolve("u", keys, tags, fleet, pair -> pair.equals(current) || pair.equals(fresh), rotation);
    }

    @Test
    void theOnlyKeyEveryHostHoldsIsReplacedByANewOneWhoseValuesAreKnownOnlyAfterApply() {
        var resolution = resolve(List.of(currentKey), AccessKeyTags.none(), held("h1", current, "h2", current), rotate());
        assertThat(resolution.create()).isTrue();
        assertThat(resolution.reuse()).as("the hosts get the new key, not the current one").isEmpty();
        assertThat(resolution.stop()).isEmpty();
        assertThat(AccessKeyRotation.retiredAfterHosts(List.of(currentKey), held("h1", current, "h2", current), Optional.empty()))
                .containsExactly("AKIACURRENT");
    }

    @Test
    void withoutRotationTheSameFleetIsInSync() {
        var resolution = resolve(List.of(currentKey), AccessKeyTags.none(), held("h1", current), KeyRotation.none());
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.reuse()).contains(current);
    }

    @Test
    void aYoungKeyIsNotDueUnderOlderThan() {
        var resolution = resolve(List.of(currentKey), AccessKeyTags.none(), held("h1", current), rotateOlderThan(60));
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.reuse()).contains(current);
        assertThat(resolution.changes()).noneMatch(change -> !(change instanceof AwsChange.TagUser));
        assertThat(resolution.notes()).anyMatch(note -> note.contains("younger than --older-than 60 days: no rotation due"));
        assertThat(resolve(List.of(currentKey), AccessKeyTags.none(), held("h1", current), rotateOlderThan(30)).create()).isTrue();
    }

    @Test
    void aRotationCutOffPartWayIsFinishedOnTheNewestKeyWithoutAThirdOne() {
        List<FleetMember> fleet = held("h1", fresh, "h2", current, "h3", current);
        var resolution = resolve(List.of(currentKey, freshKey), AccessKeyTags.of(Map.of(AccessKeyTags.IN_USE, "AKIACURRENT")),
                fleet, rotate());
        assertThat(resolution.create()).isFalse();
        assertThat(resolution.reuse()).contains(fresh);
        assertThat(of(resolution, AwsChange.DeactivateAccessKey.class)).as("not before the hosts").isEmpty();
        assertThat(AccessKeyRotation.retiredAfterHosts(List.of(currentKey, freshKey), fleet, resolution.reuse()))
                .containsExactly("AKIACURRENT");
    }

    @Test
    void aKeyHeldOutsideTheLimitIsNotRetiredAfterTheHosts() {
        List<FleetMember> fleet = new ArrayList<>(held("h1", current));
        fleet.add(FleetMember.read("h2", false, Optional.of(current), Optional.empty(), FleetMember.Node.INITIALIZED));
        assertThat(AccessKeyRotation.retiredAfterHosts(List.of(currentKey), fleet, Optional.empty())).isEmpty();
    }

    @Test
    void aNewerKeyNoHostHoldsIsDeletedFirstThenTheRotationGoesOn() {
        var resolution = resolve(List.of(currentKey, freshKey), AccessKeyTags.none(), held("h1", current), rotate());
        assertThat(of(resolution, AwsChange.DeleteAccessKey.class)).extracting(AwsChange.DeleteAccessKey::accessKeyId)
                .containsExactly("AKIAFRESH");
        assertThat(resolution.create()).isTrue();
    }

    @Test
    void anOlderActiveKeyNoHostHoldsIsDeactivatedAndTheRotationWaitsForItsGracePeriod() {
        var resolution = resolve(List.of(oldActive, currentKey), AccessKeyTags.none(), held("h1", current), rotate());
        assertThat(of(resolution, AwsChange.DeactivateAccessKey.class)).extracting(AwsChange.DeactivateAccessKey::accessKeyId)
                .containsExactly("AKIAOLD");
        assertThat(of(resolution, AwsChange.DeleteAccessKey.class)).isEmpty();
        assertThat(resolution.create()).isFalse();
    }

    @Test
    void aDeactivatedKeyIsKeptDuringItsGracePeriodAndDeletedAfterItBeforeTheNewKey() {
        var within = resolve(List.of(oldInactive, currentKey), deactivated("AKIAOLD", NOW.minus(Duration.ofDays(6))),
                held("h1", current), rotate());
        assertThat(within.changes()).isEmpty();
        assertThat(within.create()).isFalse();
        assertThat(within.notes()).anyMatch(note -> note.contains("is kept until its grace period ends at 2026-06-02T00:00:00Z"));

        var past = resolve(List.of(oldInactive, currentKey), deactivated("AKIAOLD", NOW.minus(Duration.ofDays(8))),
                held("h1", current), rotate());
        assertThat(of(past, AwsChange.DeleteAccessKey.class)).extracting(AwsChange.DeleteAccessKey::accessKeyId)
                .containsExactly("AKIAOLD");
        assertThat(past.create()).isTrue();
    }

    @Test
    void applyHonoursTheGracePeriodTooUnlessTheFleetHasNoWorkingKey() {
        KeyRotation applyOnly = new KeyRotation(false, Optional.empty(), Duration.ofDays(7), NOW);
        AccessKeyTags tags = deactivated("AKIAOLD", NOW.minus(Duration.ofDays(1)));
        var working = resolve(List.of(oldInactive, currentKey), tags, held("h1", current), applyOnly);
        assertThat(of(working, AwsChange.DeleteAccessKey.class)).isEmpty();

        var broken = AccessKeyResolver.resolve("u", List.of(oldInactive, currentKey), tags, held("h1", null), pair -> false,
                applyOnly);
        assertThat(of(broken, AwsChange.DeleteAccessKey.class)).as("a slot for the new key the fleet needs")
                .extracting(AwsChange.DeleteAccessKey::accessKeyId).containsExactly("AKIAOLD");
        assertThat(broken.create()).isTrue();
    }

    @Test
    void anUnreadHostStopsTheRotation() {
        List<FleetMember> fleet = new ArrayList<>(held("h1", current));
        fleet.add(FleetMember.unread("h2", true, "unreachable", false));
        var resolution = resolve(List.of(currentKey), AccessKeyTags.none(), fleet, rotate());
        assertThat(resolution.stop()).get().asString().contains("rotating the access key needs every host of the play read",
                "h2 (unreachable)");
        assertThat(resolution.changes()).isEmpty();
        assertThat(resolution.create()).isFalse();
    }
}
