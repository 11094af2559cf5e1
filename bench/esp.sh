#!/usr/bin/env bash
# ESP data-plane JMH benchmarks (dataplane/src/jmh/java/.../esp/EspBenchmark.java): our encrypt/decrypt path
# beside the bare JCE cipher over the same bytes, with -prof gc, then a table and one SUMMARY line per AEAD
# suite at 1400 B (last lines of the output). Short configuration: about 8-9 minutes on 2 cores.
#
# Each (suite, size) runs in its own JMH invocation, so our path and its baseline are measured within seconds
# of each other rather than minutes apart: on a shared machine the background load drifts.
#
# Knobs (environment): BENCH_JAVA_HOME (default: newest JDK under /usr/lib/jvm, temurin first on a tie),
# ESP_AEAD_SUITES / ESP_AEAD_SIZES, ESP_OTHER_SUITES / ESP_OTHER_SIZES (set empty to skip),
# ESP_BENCH_OUT (JSON results directory, default dataplane/target/jmh-esp).
set -euo pipefail

cd "$(dirname "$0")/.."
start=$SECONDS

cpu_busy() { # busy CPU time of the whole machine so far, in clock ticks (user nice system irq softirq steal)
    awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat
}
busy0=$(cpu_busy)

newest_jdk() { # highest JAVA_VERSION under /usr/lib/jvm; on a tie, a Temurin build
    local d v
    for d in /usr/lib/jvm/*/; do
        d=${d%/}
        [[ -L $d || ! -x $d/bin/java || ! -f $d/release ]] && continue
        v=$(sed -n 's/^JAVA_VERSION="\(.*\)"/\1/p' "$d/release")
        [[ -n $v ]] && printf '%s %d %s\n' "$v" "$([[ $d == *temurin* ]] && echo 1 || echo 0)" "$d"
    done | sort -k1,1V -k2,2n | tail -1 | cut -d' ' -f3
}

JDK=${BENCH_JAVA_HOME:-$(newest_jdk)}
[[ -n $JDK && -x $JDK/bin/java ]] || { echo "no JDK found (set BENCH_JAVA_HOME)" >&2; exit 1; }
JAVA=$JDK/bin/java
JAR=dataplane/target/benchmarks.jar
OUT=${ESP_BENCH_OUT:-dataplane/target/jmh-esp}
AEAD_SUITES=${ESP_AEAD_SUITES-aes128gcm16 aes256gcm16 chacha20poly1305}
AEAD_SIZES=${ESP_AEAD_SIZES-64 512 1400 8192}
OTHER_SUITES=${ESP_OTHER_SUITES-aes128-sha256 aes256-sha256 aes128-sha384 aes256-sha384 aes128-sha512 aes256-sha512 aes128gmac aes256gmac}
OTHER_SIZES=${ESP_OTHER_SIZES-1400}
# AEAD suites (the SUMMARY lines) get 3 s warm-up + 3 s measurement per benchmark; the others 2 s + 2 s.
AEAD_ITER=(-wi 3 -w 1s -i 3 -r 1s)
OTHER_ITER=(-wi 2 -w 1s -i 2 -r 1s)

if [[ ! -f $JAR ]] || [[ -n $(find dataplane/src/main dataplane/src/jmh dataplane/pom.xml pom.xml -newer "$JAR" -print -quit) ]]; then
    echo "building $JAR with $JDK"
    JAVA_HOME=$JDK mvn -q -B -Pbench -pl dataplane package -DskipTests
fi

mkdir -p "$OUT"
rm -f "$OUT"/*.json
echo "JDK: $("$JAVA" -version 2>&1 | sed -n 2p)"
echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $(nproc) cores; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # suite size iter-args...
    local suite=$1 size=$2
    shift 2
    echo "== $suite $size B"
    "$JAVA" -jar "$JAR" 'net\.edgegw\.dataplane\.esp\.EspBenchmark\.' -p "suite=$suite" -p "size=$size" \
        -f 1 "$@" -foe true -prof gc -rf json -rff "$OUT/$suite-$size.json" > "$OUT/$suite-$size.log" 2>&1 \
        || { tail -40 "$OUT/$suite-$size.log" >&2; exit 1; }
}

for suite in $AEAD_SUITES; do
    for size in $AEAD_SIZES; do
        run "$suite" "$size" "${AEAD_ITER[@]}"
    done
done
for suite in $OTHER_SUITES; do
    for size in $OTHER_SIZES; do
        run "$suite" "$size" "${OTHER_ITER[@]}"
    done
done

# What else ran meanwhile: machine-wide busy CPU time minus this script's children (JMH, mvn).
hz=$(getconf CLK_TCK)
ours=$(times | awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, t, /[ms]/); s += t[1] * 60 + t[2]} print s}')
wall=$((SECONDS - start))
other=$(awk -v b="$(( $(cpu_busy) - busy0 ))" -v hz="$hz" -v o="$ours" 'BEGIN {x = b / hz - o; printf "%.0f", x < 0 ? 0 : x}')
echo "wall time: $wall s; CPU time of other processes meanwhile: $other s of $((wall * $(nproc))) s" \
    "(load average at end: $(cut -d' ' -f1-3 /proc/loadavg))"
if (( other * 10 > wall * $(nproc) )); then
    echo "WARNING: other processes used more than 10% of the machine during the run; the figures are unreliable"
fi
python3 bench/esp-report.py "$OUT"/*.json
