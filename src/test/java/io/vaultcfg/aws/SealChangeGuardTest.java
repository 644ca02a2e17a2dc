package io.vaultcfg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SealChangeGuardTest {
    static final String ARN = "arn:aws:kms:us-east-2:123456789012:key/1111";
    final AwsState.Key planned = new AwsState.Key("1111", ARN, "Enabled", true, "SYMMETRIC_DEFAULT", "ENCRYPT_DECRYPT");
    final SealResources names = new SealResources("alias/vault-auto-unseal", "d", "u", "p", false, false, Map.of());

    static FleetMember host(String name, String keyId, String region, FleetMember.Node node) {
        return FleetMember.read(name, true, Optional.empty(), Optional.of(new SealStanza(keyId, region)), node);
    }

    Optional<String> check(List<FleetMember> fleet, Optional<AwsState.Key> key, boolean rewritesPolicy) {
        return SealChangeGuard.check(fleet, key, "us-east-2", names, "123456789012", rewritesPolicy,
                id -> id.equals("alias/other-name-same-key") ? Optional.of(ARN) : Optional.empty());
    }

    @Test
    void theStanzaParsesKeyAndRegionWithFallbacks() {
        String hcl = "# managed\nseal \"awskms\" {\n  region     = \"eu-west-1\"\n  kms_key_id = \"abcd\"\n}\n";
        assertThat(SealStanza.parse(hcl, Optional.empty())).contains(new SealStanza("abcd", "eu-west-1"));
        assertThat(SealStanza.parse("seal \"awskms\" {\n kms_key_id = \"abcd\"\n}", Optional.of("ap-south-1")))
                .contains(new SealStanza("abcd", "ap-south-1"));
        assertThat(SealStanza.parse("seal \"awskms\" {\n kms_key_id = \"abcd\"\n}", Optional.empty()))
                .contains(new SealStanza("abcd", "us-east-1"));
        assertThat(SealStanza.parse("# seal \"awskms\" { kms_key_id = \"x\" }\nseal \"shamir\" {}", Optional.empty())).isEmpty();
        assertThat(SealStanza.environmentRegion("AWS_DEFAULT_REGION=us-west-2\nAWS_REGION=\"eu-north-1\"\n")).contains("eu-north-1");
    }

    @Test
    void theSameKeyByIdArnAliasOrAnotherAliasIsAccepted() {
        var fleet = List.of(host("a", "1111", "us-east-2", FleetMember.Node.INITIALIZED),
                host("b", ARN, "us-east-2", FleetMember.Node.INITIALIZED),
                host("c", "alias/vault-auto-unseal", "us-east-2", FleetMember.Node.INITIALIZED),
                host("d", "alias/other-name-same-key", "us-east-2", FleetMember.Node.INITIALIZED));
        assertThat(check(fleet, Optional.of(planned), true)).isEmpty();
    }

    @Test
    void anInitializedNodeOnAnotherKeyOrRegionStops() {
        assertThat(check(List.of(host("a", "2222", "us-east-2", FleetMember.Node.INITIALIZED)), Optional.of(planned), false))
                .get().asString().contains("a: seal stanza names KMS key 2222 in us-east-2", "seal migration");
        assertThat(check(List.of(host("a", "1111", "us-west-2", FleetMember.Node.INITIALIZED)), Optional.of(planned), false))
                .isPresent();
        assertThat(check(List.of(host("a", "1111", "us-east-2", FleetMember.Node.UNKNOWN)), Optional.empty(), false))
                .get().asString().contains("a (status unreadable)", "a new KMS key");
    }

    @Test
    void anUninitializedNodeMayChangeKeyUnlessThePolicyWouldDropTheKeyItNames() {
        var fleet = List.of(host("a", "2222", "us-east-2", FleetMember.Node.NOT_INITIALIZED));
        assertThat(check(fleet, Optional.of(planned), false)).isEmpty();
        assertThat(check(fleet, Optional.of(planned), true)).get().asString()
                .contains("never drops from the policy a key that a host's seal stanza names");
    }

    @Test
    void aNewKeyWhileHostsAreUnreadStops() {
        var fleet = List.of(FleetMember.unread("a", true, "unreachable", false));
        assertThat(check(fleet, Optional.empty(), false)).get().asString().contains("their seal stanzas are unknown");
        assertThat(check(List.of(FleetMember.unread("a", true, "unreachable", true)), Optional.empty(), false)).isEmpty();
    }
}
