#!/usr/bin/env python3
"""Paired bootstrap of two rankings of the same queries: the product against the file-level BM25 baseline, or two
runs of the product (say, two settings).

Usage: python3 scripts/eval/paired_bootstrap.py --mode hybrid+graph \
           --pair /tmp/eval-click.json /tmp/bm25-click.json --pair /tmp/eval-gin.json /tmp/bm25-gin.json ...

Each --pair is two documents for the same query file, each a `cgr eval --json` document or a `bm25_files.py --json`
document; the result is the first minus the second. Queries are paired by (pair, id); a query missing from either
side is an error. Per query the reciprocal rank is that of the best-ranked gold file: in a `cgr eval` document the
mode's ranking (the product ranks k files, so a gold file below rank k counts 0), in a BM25 document within rank 100;
against BM25 the cut-offs favour the baseline, so the interval is conservative. Prints the pooled mean difference of MRR and hit@1 with a 95 % percentile interval over 2,000 resamples
of the pooled queries (fixed seed). Python 3.11, stdlib only.
"""
import argparse
import json
import random


def ranks(path: str, mode: str) -> dict[str, int | None]:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    if "per_query" not in doc:
        raise SystemExit(f"{path}: no per-query ranks (run cgr eval or bm25_files.py with --json)")
    if isinstance(doc["per_query"], dict):
        return doc["per_query"]
    found = {}
    for q in doc["per_query"]:
        if q["mode"] == mode:
            gold = [g["rank"] for g in q["gold_ranks"] if g["rank"] is not None]
            found[q["id"]] = min(gold) if gold else None
    if not found:
        raise SystemExit(f"{path}: no per-query rankings for mode '{mode}' (run cgr eval with --json and that mode)")
    return found


def reciprocal(rank: int | None) -> float:
    return 1.0 / rank if rank else 0.0


def interval(diffs: list[tuple[float, float]], resamples: int, seed: int) -> list[tuple[float, float, float]]:
    rng, n = random.Random(seed), len(diffs)
    means = [[], []]
    for _ in range(resamples):
        sample = [diffs[rng.randrange(n)] for _ in range(n)]
        for m in range(2):
            means[m].append(sum(d[m] for d in sample) / n)
    out = []
    for m in range(2):
        ordered = sorted(means[m])
        out.append((sum(d[m] for d in diffs) / n, ordered[int(0.025 * resamples)], ordered[int(0.975 * resamples) - 1]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pair", nargs=2, action="append", required=True, metavar=("FIRST_JSON", "SECOND_JSON"))
    ap.add_argument("--mode", default="hybrid+graph")
    ap.add_argument("--resamples", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()

    diffs, product_rr, baseline_rr = [], [], []
    for product_path, baseline_path in a.pair:
        product, baseline = ranks(product_path, a.mode), ranks(baseline_path, a.mode)
        if set(product) != set(baseline):
            missing = sorted(set(product) ^ set(baseline))[:5]
            raise SystemExit(f"{product_path} and {baseline_path} hold different queries (e.g. {missing})")
        for qid in sorted(product):
            p, b = product[qid], baseline[qid]
            product_rr.append(reciprocal(p))
            baseline_rr.append(reciprocal(b))
            diffs.append((reciprocal(p) - reciprocal(b), float(p == 1) - float(b == 1)))

    (mrr, mrr_lo, mrr_hi), (hit, hit_lo, hit_hi) = interval(diffs, a.resamples, a.seed)
    n = len(diffs)
    result = {"queries": n, "mode": a.mode, "first_mrr": sum(product_rr) / n, "second_mrr": sum(baseline_rr) / n,
              "mrr_diff": mrr, "mrr_ci": [mrr_lo, mrr_hi], "hit@1_diff": hit, "hit@1_ci": [hit_lo, hit_hi]}
    if a.json:
        print(json.dumps(result))
    else:
        print(f"{n} queries ({a.mode}), first minus second: MRR {result['first_mrr']:.3f} - {result['second_mrr']:.3f} = "
              f"{mrr:+.3f} (95% CI {mrr_lo:+.3f} .. {mrr_hi:+.3f}); hit@1 {hit:+.3f} (95% CI {hit_lo:+.3f} .. {hit_hi:+.3f})")


if __name__ == "__main__":
    main()
