#!/usr/bin/env bash
# ESP data-plane JMH benchmarks (dataplane/src/jmh/java/.../esp/EspBenchmark.java): our encrypt/decrypt path
# beside the bare JCE cipher over the same bytes; prints a table and, last, one SUMMARY line per AEAD suite at
# 1400 B. Short configuration: about 8 minutes on 2 cores, build included (485 s measured).
#
# Two JMH runs per (suite, size), one right after the other:
#  - pairedEncrypt/pairedDecrypt: ours and the baseline in alternating batches in one thread, each batch
#    timed. Throughput and the ratio come from these: on a shared VM one JVM's speed drifts by tens of percent
#    over seconds, more than the difference we measure, so separate forks would compare different moments.
#  - espEncrypt/espDecrypt/jceEncrypt/jceDecrypt, each alone, under -prof gc: allocation per operation
#    (gc.alloc.rate.norm), which needs each path in a JVM of its own. Short, allocation settles quickly.
# The CBC/HMAC and GMAC suites run at 1400 B only, with shorter iterations.
#
# Knobs (environment): BENCH_JAVA_HOME (default: newest JDK under /usr/lib/jvm, Temurin first on a tie),
# ESP_AEAD_SUITES, ESP_AEAD_SIZES, ESP_OTHER_SUITES, ESP_OTHER_SIZES (set one empty to skip it),
# ESP_BENCH_OUT (results directory, default dataplane/target/jmh-esp).
set -euo pipefail

cd "$(dirname "$0")/.."
start=$SECONDS

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
# Iterations: paired runs (warm-up converges after 2-3 s on 2 cores), then the -prof gc runs.
AEAD_PAIRED=(-wi 3 -w 1s -i 2 -r 1s)
AEAD_ALLOC=(-wi 2 -w 1s -i 1 -r 1s)
OTHER_PAIRED=(-wi 2 -w 1s -i 2 -r 500ms)
OTHER_ALLOC=(-wi 2 -w 1s -i 1 -r 500ms)

# The machine may be shared: measure how much CPU other processes took while each benchmark ran, as
# (machine-wide busy time - this script's children's CPU time) / (elapsed time * cores).
NCPU=$(nproc)
TIMES=$(mktemp)
trap 'rm -f "$TIMES"' EXIT
snapshot() { # sets SNAP="busy-seconds children-seconds wall-seconds"; must not run in a $(...) subshell
    local busy children
    busy=$(awk -v hz="$(getconf CLK_TCK)" '/^cpu /{printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz}' /proc/stat)
    times > "$TIMES" # a builtin: our finished children's user and system time, on its second line
    children=$(awk 'NR == 2 {for (i = 1; i <= 2; i++) {split($i, t, /[ms]/); s += t[1] * 60 + t[2]} printf "%.2f", s}' "$TIMES")
    SNAP="$busy $children $(date +%s.%N)"
}
other_pct() { # "snapshot before" "snapshot after": % of the machine other processes used in between
    awk -v a="$1" -v b="$2" -v n="$NCPU" 'BEGIN {split(a, x, " "); split(b, y, " ")
        p = ((y[1] - x[1]) - (y[2] - x[2])) / ((y[3] - x[3]) * n) * 100; printf "%.0f\n", p < 0 ? 0 : p}'
}
snapshot
START_SNAP=$SNAP

if [[ ! -f $JAR ]] || [[ -n $(find dataplane/src/main dataplane/src/jmh dataplane/pom.xml pom.xml -newer "$JAR" -print -quit) ]]; then
    echo "building $JAR with $JDK"
    JAVA_HOME=$JDK mvn -q -B -Pbench -pl dataplane package -DskipTests
fi

mkdir -p "$OUT"
rm -f "$OUT"/*.json "$OUT"/*.bg "$OUT"/*.log
echo "JDK: $("$JAVA" -version 2>&1 | sed -n 2p)"
echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1), $NCPU cores"

run() { # name benchmark-regex suite size jmh-args...
    local name=$1 regex=$2 suite=$3 size=$4 before
    shift 4
    snapshot
    before=$SNAP
    "$JAVA" -jar "$JAR" "net\\.edgegw\\.dataplane\\.esp\\.EspBenchmark\\.$regex" -p "suite=$suite" -p "size=$size" \
        -f 1 "$@" -foe true -rf json -rff "$OUT/$name.json" > "$OUT/$name.log" 2>&1 \
        || { tail -40 "$OUT/$name.log" >&2; exit 1; }
    snapshot
    other_pct "$before" "$SNAP" > "$OUT/$name.bg"
    printf '%-34s %4ds  other processes: %s%% of the machine\n' "$name" $((SECONDS - start)) "$(cat "$OUT/$name.bg")"
}
measure() { # suite size paired-args-array-name alloc-args-array-name
    local -n paired_args=$3 alloc_args=$4
    run "$1-$2-paired" 'paired(En|De)crypt$' "$1" "$2" "${paired_args[@]}"
    run "$1-$2-alloc" '(esp|jce)(En|De)crypt$' "$1" "$2" "${alloc_args[@]}" -prof gc
}

for suite in $AEAD_SUITES; do
    for size in $AEAD_SIZES; do
        measure "$suite" "$size" AEAD_PAIRED AEAD_ALLOC
    done
done
for suite in $OTHER_SUITES; do
    for size in $OTHER_SIZES; do
        measure "$suite" "$size" OTHER_PAIRED OTHER_ALLOC
    done
done

snapshot
bg=$(other_pct "$START_SNAP" "$SNAP")
echo "wall time: $((SECONDS - start)) s; other processes used $bg% of the machine meanwhile"
if (( bg > 10 )); then
    echo "WARNING: other processes used more than 10% of the machine: Gbit/s figures in rows with a high bg are low" \
        "(ratios are paired and hold up better)"
fi
python3 bench/esp-report.py "$OUT"/*.json
