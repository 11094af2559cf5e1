#!/usr/bin/env python3
"""Turns EspBenchmark JMH JSON files into a table and one SUMMARY line per AEAD suite at 1400 B (printed last).

Throughput and ratio come from pairedEncrypt/pairedDecrypt, where ours and the bare-JCE baseline run in
alternating timed batches in one thread: Gbit/s of inner packet bytes = ops / seconds * size * 8 / 1e9 for
each side, and the ratio is JCE time / our time for the same number of operations. ratio_vs_jce is the lower
of encrypt and decrypt. Allocation is -prof gc's gc.alloc.rate.norm (bytes per operation) from the separate
espEncrypt/espDecrypt/jceEncrypt/jceDecrypt runs; alloc_bytes_per_op is the larger of encrypt and decrypt,
for our path and for JCE.
"""
import json
import os
import sys

AEAD = ["aes128gcm16", "aes256gcm16", "chacha20poly1305"]
SUMMARY_SIZE = 1400
# Target for aes128gcm16 at 1400 B (the requirement).
TARGET_SUITE, TARGET_RATIO, TARGET_ALLOC_SLACK = "aes128gcm16", 0.85, 64


class Paired:
    """pairedEncrypt or pairedDecrypt of one (suite, size): per-iteration time and operations of each side."""

    def __init__(self, sm):
        def per_iteration(name):
            return [x for fork in sm[name]["rawData"] for x in fork]

        self.esp_ns, self.esp_ops = per_iteration("espNanos"), per_iteration("espOps")
        self.jce_ns, self.jce_ops = per_iteration("jceNanos"), per_iteration("jceOps")

    def esp_ops_per_s(self):
        return sum(self.esp_ops) / sum(self.esp_ns) * 1e9

    def jce_ops_per_s(self):
        return sum(self.jce_ops) / sum(self.jce_ns) * 1e9

    def ratio(self):
        return self.esp_ops_per_s() / self.jce_ops_per_s()

    def ratio_range(self):
        r = [(eo / en) / (jo / jn) for en, eo, jn, jo in zip(self.esp_ns, self.esp_ops, self.jce_ns, self.jce_ops)]
        return min(r), max(r)


def load(paths):
    rows = {}  # (suite, size) -> {"pairedEncrypt": Paired, ..., "espEncrypt": alloc B/op, ...}
    background = {}  # (suite, size) -> the most % of the machine other processes used in one of its runs
    for path in paths:
        with open(path) as f:
            results = json.load(f)
        bg_path = os.path.splitext(path)[0] + ".bg"
        for r in results:
            bench = r["benchmark"].rsplit(".", 1)[1]
            key = (r["params"]["suite"], int(r["params"]["size"]))
            row = rows.setdefault(key, {})
            if bench.startswith("paired"):
                row[bench] = Paired(r["secondaryMetrics"])
            elif "gc.alloc.rate.norm" in r["secondaryMetrics"]:
                row[bench] = r["secondaryMetrics"]["gc.alloc.rate.norm"]["score"]
            if os.path.exists(bg_path):
                with open(bg_path) as f:
                    background[key] = max(int(f.read().strip() or 0), background.get(key, 0))
    return rows, background


def gbps(ops_per_s, size):
    return ops_per_s * size * 8 / 1e9


def main(paths):
    rows, background = load(paths)
    order = {s: i for i, s in enumerate(AEAD)}
    keys = sorted(rows, key=lambda k: (order.get(k[0], len(AEAD)), k[0], k[1]))
    fmt = "{:<17} {:>5} {:>8} {:>8} {:>8} {:>8} {:>6} {:>6} {:>6} {:>10} {:>10} {:>10} {:>4}"
    print()
    print("Gbit/s of inner packet bytes, ours and bare JCE, from the paired runs; enc/dec = ours / JCE;")
    print("ratio = the lower, with its range over the measurement iterations; B/op = gc.alloc.rate.norm")
    print("(-prof gc), encrypt/decrypt; bg = % of the machine other processes used meanwhile")
    print(fmt.format("suite", "size", "esp enc", "jce enc", "esp dec", "jce dec", "enc", "dec", "ratio", "range",
                     "esp B/op", "jce B/op", "bg"))
    summary = {}
    for suite, size in keys:
        b = rows[(suite, size)]
        missing = [n for n in ("pairedEncrypt", "pairedDecrypt", "espEncrypt", "espDecrypt", "jceEncrypt",
                               "jceDecrypt") if n not in b]
        if missing:
            print(f"{suite:<17} {size:>5} incomplete, missing {missing}")
            continue
        enc, dec = b["pairedEncrypt"], b["pairedDecrypt"]
        lower = enc if enc.ratio() <= dec.ratio() else dec
        lo, hi = lower.ratio_range()
        bg = background.get((suite, size))
        print(fmt.format(suite, size, f"{gbps(enc.esp_ops_per_s(), size):.2f}", f"{gbps(enc.jce_ops_per_s(), size):.2f}",
                         f"{gbps(dec.esp_ops_per_s(), size):.2f}", f"{gbps(dec.jce_ops_per_s(), size):.2f}",
                         f"{enc.ratio():.2f}", f"{dec.ratio():.2f}", f"{lower.ratio():.2f}", f"{lo:.2f}-{hi:.2f}",
                         f"{b['espEncrypt']:.0f}/{b['espDecrypt']:.0f}", f"{b['jceEncrypt']:.0f}/{b['jceDecrypt']:.0f}",
                         "-" if bg is None else f"{bg}%"))
        ratio = lower.ratio()
        if suite in AEAD and size == SUMMARY_SIZE:
            summary[suite] = (gbps(enc.esp_ops_per_s(), size), gbps(dec.esp_ops_per_s(), size), ratio,
                              max(b["espEncrypt"], b["espDecrypt"]), max(b["jceEncrypt"], b["jceDecrypt"]))
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
