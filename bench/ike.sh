#!/usr/bin/env bash
# IKEv2 setup rate and memory (appliance/.../ike/bench/IkeLoopbackBench.java): two of our IKE engines in one JVM,
# each on its own thread, over real UDP sockets on loopback (gw-b on 127.0.0.1, gw-a's tunnel i on 127.1.x.y),
# set up N tunnels (IKE_SA_INIT + IKE_AUTH with one CHILD SA each, PSK, x25519 + AES-GCM by default) as fast as
# they can with at most WINDOW in flight. CHILD SAs go to a counting installer: the data plane is faked.
# A warm-up run of min(N, 300) tunnels comes first (JIT), then the measured run.
# Last line: SUMMARY ike tunnels=<n> setups_per_s=<r> heap_bytes_per_tunnel=<b>, heap per tunnel per gateway
# (used heap after GC, all up minus before, over 2N).
#
# Knobs (environment): IKE_TUNNELS (2000), IKE_WINDOW (64), IKE_PROPOSAL (aes128gcm16-prfsha256-x25519),
# BENCH_JAVA_HOME (default: the Temurin 25 JDK), IKE_BENCH_HEAP (JVM heap, default 512m), IKE_BENCH_BUILD=0 to
# skip the build.
set -euo pipefail
cd "$(dirname "$0")/.."

JDK=${BENCH_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
[[ -x $JDK/bin/java ]] || { echo "no JDK at $JDK (set BENCH_JAVA_HOME)" >&2; exit 1; }
if [[ ${IKE_BENCH_BUILD:-1} != 0 ]]; then
    JAVA_HOME=$JDK mvn -q -B -o -pl appliance -am package -DskipTests >/dev/null
fi
JAR=appliance/target/edgegw-appliance.jar
[[ -f $JAR ]] || { echo "$JAR missing: build first" >&2; exit 1; }

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores"
exec "$JDK/bin/java" -Xms"${IKE_BENCH_HEAP:-512m}" -Xmx"${IKE_BENCH_HEAP:-512m}" -XX:+UseParallelGC \
    -cp "$JAR" net.edgegw.appliance.ike.bench.IkeLoopbackBench \
    "${IKE_TUNNELS:-2000}" "${IKE_WINDOW:-64}" "${IKE_PROPOSAL:-aes128gcm16-prfsha256-x25519}"
