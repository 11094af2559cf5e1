#!/usr/bin/env python3
"""Turns EspBenchmark JMH JSON files into a table and one SUMMARY line per AEAD suite at 1400 B (printed last).

Throughput is Gbit/s of inner packet bytes: ops/s * size * 8 / 1e9. Allocation is -prof gc's
gc.alloc.rate.norm (bytes per op). ratio_vs_jce is the lower of encrypt and decrypt against the bare-JCE
baseline of the same run; alloc_bytes_per_op is the larger of encrypt and decrypt, for our path and for JCE.
"""
import json
import sys

AEAD = ["aes128gcm16", "aes256gcm16", "chacha20poly1305"]
SUMMARY_SIZE = 1400
# Target for aes128gcm16 at 1400 B (the requirement).
TARGET_SUITE, TARGET_RATIO, TARGET_ALLOC_SLACK = "aes128gcm16", 0.85, 64


def load(paths):
    rows = {}  # (suite, size) -> {bench: (ops/s, alloc B/op, spread)}
    for path in paths:
        with open(path) as f:
            for r in json.load(f):
                bench = r["benchmark"].rsplit(".", 1)[1]
                suite, size = r["params"]["suite"], int(r["params"]["size"])
                pm = r["primaryMetric"]
                iters = [x for fork in pm["rawData"] for x in fork]
                spread = (max(iters) - min(iters)) / pm["score"] if pm["score"] else 0.0
                alloc = r["secondaryMetrics"].get("gc.alloc.rate.norm", {}).get("score", float("nan"))
                rows.setdefault((suite, size), {})[bench] = (pm["score"], alloc, spread)
    return rows


def gbps(ops, size):
    return ops * size * 8 / 1e9


def main(paths):
    rows = load(paths)
    order = {s: i for i, s in enumerate(AEAD)}
    keys = sorted(rows, key=lambda k: (order.get(k[0], len(AEAD)), k[0], k[1]))
    hdr = ("suite", "size", "esp enc", "jce enc", "esp dec", "jce dec", "ratio", "esp B/op enc/dec",
           "jce B/op enc/dec", "spread")
    fmt = "{:<17} {:>5} {:>8} {:>8} {:>8} {:>8} {:>6} {:>17} {:>17} {:>7}"
    print()
    print("Gbit/s of inner packet bytes; ratio = min(enc, dec) of ours / bare JCE; B/op = gc.alloc.rate.norm;")
    print("spread = the widest (max - min) / mean of measurement iterations among the four benchmarks")
    print(fmt.format(*hdr))
    summary = {}
    for suite, size in keys:
        b = rows[(suite, size)]
        if not all(n in b for n in ("espEncrypt", "espDecrypt", "jceEncrypt", "jceDecrypt")):
            print(f"{suite:<17} {size:>5} incomplete: {sorted(b)}")
            continue
        ee, ed, je, jd = (b[n] for n in ("espEncrypt", "espDecrypt", "jceEncrypt", "jceDecrypt"))
        ratio = min(ee[0] / je[0], ed[0] / jd[0])
        spread = max(x[2] for x in (ee, ed, je, jd))
        print(fmt.format(suite, size, f"{gbps(ee[0], size):.2f}", f"{gbps(je[0], size):.2f}",
                         f"{gbps(ed[0], size):.2f}", f"{gbps(jd[0], size):.2f}", f"{ratio:.2f}",
                         f"{ee[1]:.0f}/{ed[1]:.0f}", f"{je[1]:.0f}/{jd[1]:.0f}", f"{spread * 100:.0f}%"))
        if suite in AEAD and size == SUMMARY_SIZE:
            summary[suite] = (gbps(ee[0], size), gbps(ed[0], size), ratio, max(ee[1], ed[1]), max(je[1], jd[1]))
    print()
    if TARGET_SUITE in summary:
        _, _, ratio, alloc, jce_alloc = summary[TARGET_SUITE]
        ok = ratio >= TARGET_RATIO and alloc <= jce_alloc + TARGET_ALLOC_SLACK
        print(f"target {TARGET_SUITE} {SUMMARY_SIZE}B (ratio_vs_jce >= {TARGET_RATIO}, alloc <= jce + "
              f"{TARGET_ALLOC_SLACK}): {'met' if ok else 'NOT met'}")
    for suite in AEAD:
        if suite in summary:
            enc, dec, ratio, alloc, jce_alloc = summary[suite]
            print(f"SUMMARY esp {suite} {SUMMARY_SIZE}B encrypt_gbps={enc:.2f} decrypt_gbps={dec:.2f} "
                  f"ratio_vs_jce={ratio:.2f} alloc_bytes_per_op={alloc:.0f} jce_alloc_bytes_per_op={jce_alloc:.0f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: esp-report.py RESULT.json...")
    main(sys.argv[1:])
