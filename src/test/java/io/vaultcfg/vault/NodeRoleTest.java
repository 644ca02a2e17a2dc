package io.vaultcfg.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The role read from answers captured from real OpenBao 2.6.2 raft nodes (src/test/resources/openbao-2.6.2). */
class NodeRoleTest {
    static final String FIXTURES = "openbao-2.6.2/";

    static RecordedAnswers fixture(String name) throws IOException {
        return RecordedAnswers.load(FIXTURES + name);
    }

    @Test
    void anUninitializedNodeHasNoClusterAndNoIndexes() throws IOException {
        NodeRole role = fixture("raft-uninitialized").role();

        assertThat(role.role()).isEqualTo(Role.UNINITIALIZED);
        assertThat(role.initialized()).isFalse();
        assertThat(role.sealed()).isTrue();
        assertThat(role.unsealed()).isFalse();
        assertThat(role.sealType()).isEqualTo("shamir");
        assertThat(role.version()).isEqualTo("2.6.2");
        assertThat(role.clusterId()).isEmpty();
        assertThat(role.raftAppliedIndex()).isEmpty();
    }

    @Test
    void aSealedNodeAnswers503ToHealthAndLeaderAndIsReadAsSealed() throws IOException {
        RecordedAnswers answers = fixture("raft-shamir-restarted-sealed");
        assertThat(answers.health().status()).isEqualTo(503);
        assertThat(answers.leader().status()).isEqualTo(503);

        NodeRole role = answers.role();

        assertThat(role.role()).isEqualTo(Role.SEALED);
        assertThat(role.initialized()).isTrue();
        assertThat(role.sealed()).isTrue();
        assertThat(role.clusterId()).isEmpty();
        assertThat(role.leaderAddress()).isEmpty();
    }

    @Test
    void theActiveNodeHasItsClusterIdAndRaftIndexes() throws IOException {
        NodeRole role = fixture("raft-shamir-active").role();

        assertThat(role.role()).isEqualTo(Role.ACTIVE);
        assertThat(role.unsealed()).isTrue();
        assertThat(role.clusterId()).contains("80bf8f97-f044-9d07-3d15-1c4dadbe8198");
        assertThat(role.leaderAddress()).contains("http://127.0.1.1:8200");
        assertThat(role.raftCommittedIndex()).isEqualTo(OptionalLong.of(41));
        assertThat(role.raftAppliedIndex()).isEqualTo(OptionalLong.of(41));
        assertThat(role.recoverySeal()).isFalse();
        assertThat(role.migration()).isFalse();
    }

    @Test
    void aStandbyAnswers429AndNamesItsLeader() throws IOException {
        RecordedAnswers answers = fixture("raft-shamir-standby");
        assertThat(answers.health().status()).isEqualTo(429);

        NodeRole role = answers.role();

        assertThat(role.role()).isEqualTo(Role.STANDBY);
        assertThat(role.clusterId()).contains("80bf8f97-f044-9d07-3d15-1c4dadbe8198");
        assertThat(role.leaderAddress()).contains("http://127.0.1.1:8200");
        assertThat(role.raftAppliedIndex()).isEqualTo(OptionalLong.of(41));
    }

    @Test
    void aStandbyWhoseClusterHasNoLeaderHasNoLeaderAddress() throws IOException {
        NodeRole role = fixture("raft-shamir-standby-without-leader").role();

        assertThat(role.role()).isEqualTo(Role.STANDBY);
        assertThat(role.leaderAddress()).isEmpty();
        assertThat(role.raftCommittedIndex()).isEqualTo(OptionalLong.of(41));
    }

    @Test
    void anAwsKmsClusterReportsItsSealAndARecoverySealInEveryState() throws IOException {
        NodeRole active = fixture("raft-awskms-active").role();
        NodeRole standby = fixture("raft-awskms-standby").role();
        NodeRole sealed = fixture("raft-awskms-sealed").role();

        assertThat(List.of(active, standby, sealed)).allSatisfy(role -> {
            assertThat(role.sealType()).isEqualTo("awskms");
            assertThat(role.recoverySeal()).isTrue();
            assertThat(role.initialized()).isTrue();
        });
        assertThat(List.of(active.role(), standby.role(), sealed.role())).containsExactly(Role.ACTIVE, Role.STANDBY, Role.SEALED);
        assertThat(standby.clusterId()).isEqualTo(active.clusterId()).contains("775775cf-7e1e-1664-9ba5-6409425140ee");
        assertThat(sealed.clusterId()).as("a sealed node does not tell its cluster").isEmpty();
    }

    @Test
    void sysHealthNotTheStaleIsSelfOfSysLeaderDecidesActiveOrStandby() throws IOException {
        RecordedAnswers answers = fixture("raft-shamir-standby-after-lost-quorum");
        assertThat(answers.leader().body()).contains("\"is_self\":true");

        assertThat(answers.role().role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void theBodyNotTheStatusCodeDecidesWhenHealthWasAskedForOtherCodes() throws IOException {
        RecordedAnswers standby = fixture("raft-shamir-standby");
        NodeAnswer standbyOk = new NodeAnswer(200, standby.health().body());

        assertThat(NodeRole.read(standby.sealStatus(), standbyOk, standby.leader()).role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void answersThatDisagreeAreReadAsChangingAndSealed() throws IOException {
        RecordedAnswers active = fixture("raft-shamir-active");
        RecordedAnswers sealed = fixture("raft-shamir-restarted-sealed");
        RecordedAnswers uninitialized = fixture("raft-uninitialized");

        NodeRole sealedBetween = NodeRole.read(active.sealStatus(), sealed.health(), sealed.leader());
        NodeRole sealedBeforeLeader = NodeRole.read(active.sealStatus(), active.health(), sealed.leader());
        NodeRole initializedBetween = NodeRole.read(uninitialized.sealStatus(), sealed.health(), sealed.leader());

        assertThat(sealedBetween.role()).isEqualTo(Role.CHANGING);
        assertThat(sealedBetween.sealed()).isTrue();
        assertThat(sealedBeforeLeader.role()).isEqualTo(Role.CHANGING);
        assertThat(initializedBetween.role()).isEqualTo(Role.CHANGING);
        assertThat(initializedBetween.initialized()).isFalse();
    }

    @Test
    void aStandbyHasCaughtUpWhenItsAppliedIndexReachesTheLeadersCommittedIndex() throws IOException {
        NodeRole leader = fixture("raft-shamir-active").role();
        RecordedAnswers standby = fixture("raft-shamir-standby");
        NodeRole level = standby.role();
        NodeRole behind = NodeRole.read(standby.sealStatus(), standby.health(),
                new NodeAnswer(200, standby.leader().body().replace("\"raft_applied_index\":41", "\"raft_applied_index\":40")));

        assertThat(level.caughtUpWith(leader)).as("applied 41 = committed 41").isTrue();
        assertThat(behind.caughtUpWith(leader)).as("applied 40 < committed 41").isFalse();
        assertThat(fixture("raft-shamir-restarted-sealed").role().caughtUpWith(leader)).as("no index while sealed").isFalse();
    }

    @Test
    void describeNamesRoleSealClusterAndIndexes() throws IOException {
        assertThat(fixture("raft-shamir-standby").role().describe())
                .isEqualTo("standby (shamir), cluster 80bf8f97-f044-9d07-3d15-1c4dadbe8198, raft applied 41 of 41 committed");
        assertThat(fixture("raft-awskms-sealed").role().describe()).isEqualTo("sealed (awskms, recovery seal)");
        assertThat(fixture("raft-uninitialized").role().describe()).isEqualTo("uninitialized (shamir)");
    }

    @Test
    void answersNoNodeSendsAreRefusedWithoutEchoingTheirBody() throws IOException {
        RecordedAnswers active = fixture("raft-shamir-active");
        NodeAnswer hostile = new NodeAnswer(200, "<html>canary-4f1e</html>");

        assertThatThrownBy(() -> NodeRole.read(hostile, active.health(), active.leader()))
                .isInstanceOf(UnreadableNodeStatus.class).hasMessage("sys/seal-status answered HTTP 200 without a JSON body");
        assertThatThrownBy(() -> NodeRole.read(active.sealStatus(), new NodeAnswer(200, "[\"canary-4f1e\"]"), active.leader()))
                .hasMessage("sys/health answered HTTP 200 with JSON that is not an object");
        assertThatThrownBy(() -> NodeRole.read(active.sealStatus(), new NodeAnswer(200, "{\"sealed\":\"canary-4f1e\"}"), active.leader()))
                .hasMessage("sys/health: the answer has no \"initialized\" of the expected type");
        assertThatThrownBy(() -> NodeRole.read(active.sealStatus(), active.health(), new NodeAnswer(500, "{\"errors\":[\"canary-4f1e\"]}")))
                .hasMessage("sys/leader answered HTTP 500 on an unsealed node");
        assertThatThrownBy(() -> NodeRole.read(new NodeAnswer(500, active.sealStatus().body()), active.health(), active.leader()))
                .hasMessage("sys/seal-status answered HTTP 500");
        assertThatThrownBy(() -> NodeRole.read(new NodeAnswer(200, "{\"initialized\":true,\"sealed\":false}"), active.health(), active.leader()))
                .hasMessage("sys/seal-status: the answer has no \"type\" of the expected type");
    }

    @Test
    void aStandbyUnsealedWithMigrateIsAnUnsealedStandbyOnTheNewSealThoughSealStatusAndHealthAnswer500() throws IOException {
        RecordedAnswers answers = fixture("raft-awskms-migrated-standby");
        assertThat(answers.sealStatus().status()).isEqualTo(500);
        assertThat(answers.health().status()).isEqualTo(500);

        NodeRole role = answers.role();

        assertThat(role.role()).isEqualTo(Role.STANDBY);
        assertThat(role.unsealed()).isTrue();
        assertThat(role.initialized()).isTrue();
        assertThat(role.sealType()).isEqualTo("awskms");
        assertThat(role.recoverySeal()).isTrue();
        assertThat(role.migration()).isTrue();
        assertThat(role.clusterId()).isEmpty();
        assertThat(role.raftAppliedIndex()).hasValue(41);
        assertThat(role.caughtUpWith(fixture("raft-shamir-active").role())).as("applied 41, the leader committed 41").isTrue();
        assertThat(role.describe()).isEqualTo("standby (awskms, recovery seal, seal migration in progress), raft applied 41 of 41 committed");
    }

    @Test
    void anotherSealStatusErrorIsStillUnreadable() {
        RecordedAnswers other = new RecordedAnswers(new NodeAnswer(500, "{\"errors\":[\"something else\"]}"),
                new NodeAnswer(500, "{\"errors\":[]}"), new NodeAnswer(200, "{\"ha_enabled\":true}"));
        assertThatThrownBy(other::role).isInstanceOf(UnreadableNodeStatus.class);
    }
}
