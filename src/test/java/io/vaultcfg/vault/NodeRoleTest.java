package io.vaultcfg.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultcfg.testing.RecordedAnswers;
import io.vaultcfg.vault.NodeRole.Role;
import java.io.IOException;
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
        NodeRole role = fixture("shamir-uninitialized").role();

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
        RecordedAnswers answers = fixture("shamir-sealed");
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
        NodeRole role = fixture("shamir-active").role();

        assertThat(role.role()).isEqualTo(Role.ACTIVE);
        assertThat(role.unsealed()).isTrue();
        assertThat(role.clusterId()).contains("eeeaa601-6eb6-8f50-357e-f87b76a0a08d");
        assertThat(role.leaderAddress()).contains("http://127.0.9.1:8200");
        assertThat(role.raftCommittedIndex()).isEqualTo(OptionalLong.of(31));
        assertThat(role.raftAppliedIndex()).isEqualTo(OptionalLong.of(31));
        assertThat(role.recoverySeal()).isFalse();
        assertThat(role.migration()).isFalse();
    }

    @Test
    void aStandbyAnswers429AndNamesItsLeader() throws IOException {
        RecordedAnswers answers = fixture("shamir-standby");
        assertThat(answers.health().status()).isEqualTo(429);

        NodeRole role = answers.role();

        assertThat(role.role()).isEqualTo(Role.STANDBY);
        assertThat(role.clusterId()).contains("eeeaa601-6eb6-8f50-357e-f87b76a0a08d");
        assertThat(role.leaderAddress()).contains("http://127.0.9.1:8200");
        assertThat(role.raftAppliedIndex()).isEqualTo(OptionalLong.of(31));
    }

    @Test
    void aStandbyWhoseClusterHasNoLeaderHasNoLeaderAddress() throws IOException {
        NodeRole role = fixture("shamir-standby-without-leader").role();

        assertThat(role.role()).isEqualTo(Role.STANDBY);
        assertThat(role.leaderAddress()).isEmpty();
        assertThat(role.raftCommittedIndex()).isEqualTo(OptionalLong.of(41));
    }

    @Test
    void sysHealthNotTheStaleIsSelfOfSysLeaderDecidesActiveOrStandby() throws IOException {
        RecordedAnswers answers = fixture("shamir-standby-after-lost-quorum");
        assertThat(answers.leader().body()).contains("\"is_self\":true");

        assertThat(answers.role().role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void theBodyNotTheStatusCodeDecidesWhenHealthWasAskedForOtherCodes() throws IOException {
        RecordedAnswers standby = fixture("shamir-standby");
        NodeAnswer standbyOk = new NodeAnswer(200, standby.health().body());

        assertThat(NodeRole.read(standby.sealStatus(), standbyOk, standby.leader()).role()).isEqualTo(Role.STANDBY);
    }

    @Test
    void answersThatDisagreeAreReadAsChangingAndSealed() throws IOException {
        RecordedAnswers active = fixture("shamir-active");
        RecordedAnswers sealed = fixture("shamir-sealed");
        RecordedAnswers uninitialized = fixture("shamir-uninitialized");

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
        NodeRole leader = fixture("shamir-standby-without-leader").role();
        RecordedAnswers standby = fixture("shamir-standby");
        NodeRole behind = standby.role();
        NodeRole level = NodeRole.read(standby.sealStatus(), standby.health(),
                new NodeAnswer(200, standby.leader().body().replace("\"raft_applied_index\":31", "\"raft_applied_index\":41")));

        assertThat(behind.caughtUpWith(leader)).as("applied 31 < committed 41").isFalse();
        assertThat(level.caughtUpWith(leader)).isTrue();
        assertThat(fixture("shamir-sealed").role().caughtUpWith(leader)).as("no index while sealed").isFalse();
    }

    @Test
    void describeNamesRoleSealClusterAndIndexes() throws IOException {
        assertThat(fixture("shamir-standby").role().describe())
                .isEqualTo("standby (shamir), cluster eeeaa601-6eb6-8f50-357e-f87b76a0a08d, raft applied 31 of 31 committed");
        assertThat(fixture("shamir-uninitialized").role().describe()).isEqualTo("uninitialized (shamir)");
    }

    @Test
    void answersNoNodeSendsAreRefusedWithoutEchoingTheirBody() throws IOException {
        RecordedAnswers active = fixture("shamir-active");
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
}
