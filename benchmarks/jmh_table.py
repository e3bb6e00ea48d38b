"""Turns a JMH JSON result (benchmarks/jmh.sh) into the README's ratio tables."""
import json
import sys

rows = json.load(open(sys.argv[1]))


def score(r, name=None):
    if name is None:
        return r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"]
    m = r["secondaryMetrics"][name]
    return m["score"], m["scoreUnit"]


floors = {}
for r in rows:
    b = r["benchmark"].rsplit(".", 1)[1]
    if "FloorsBench" in r["benchmark"]:
        if b == "readBandwidth":
            floors["bw"] = score(r, "bytes")[0] / 1e9
        else:
            floors["fma"] = score(r, "flops")[0] / 1e9
print(f"floors: read {floors['bw']:.1f} GB/s, FMA {floors['fma']:.1f} GFLOP/s")
print()
print("| type | GEMV GB/s | of read bandwidth | GEMM (64 tok) GFLOP/s | of FMA peak |")
print("|---|---|---|---|---|")
mm = {}
for r in rows:
    if "MatmulBench" not in r["benchmark"]:
        continue
    p = r["params"]
    key = p["type"]
    if p["tokens"] == "1":
        mm.setdefault(key, {})["gemv"] = score(r, "weightBytes")[0] / 1e9
    else:
        mm.setdefault(key, {})["gemm"] = score(r, "flops")[0] / 1e9
for t, v in mm.items():
    gv, gm = v.get("gemv", float("nan")), v.get("gemm", float("nan"))
    print(f"| {t} | {gv:.1f} | {gv / floors['bw']:.2f} | {gm:.1f} | {gm / floors['fma']:.2f} |")
print()
for r in rows:
    if "AttentionBench" in r["benchmark"] or "LoraBench" in r["benchmark"]:
        s, unit = score(r)
        extra = ""
        if r["benchmark"].endswith("decode"):
            # K and V of 2048 positions x 8 KV heads x 128 dims in F16
            kv_bytes = 2 * 2048 * 8 * 128 * 2
            secs = s / 1e3 if unit.startswith("ms") else s / 1e6 if unit.startswith("us") else s
            extra = f" ({kv_bytes / secs / 1e9:.1f} GB/s over K/V = {kv_bytes / secs / 1e9 / floors['bw']:.2f} of read bandwidth)"
        params = ",".join(f"{k}={v}" for k, v in r.get("params", {}).items())
        print(f"{r['benchmark'].rsplit('.', 2)[-2]}.{r['benchmark'].rsplit('.', 1)[1]} [{params}]: {s:.3f} {unit}{extra}")
