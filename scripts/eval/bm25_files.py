#!/usr/bin/env python3
"""File-level BM25 baseline for (query -> gold files) sets such as docs/eval/commits/*.jsonl.gz.

Usage: python3 scripts/eval/bm25_files.py --tree /tmp/evaltrees/click --queries docs/eval/commits/click.dev.jsonl.gz
       [--json]

Documents are the tree's source files (the code extensions below, tests included; no docs or other text files), each
the file's path words plus its text. BM25 with k1 = 1.2, b = 0.75. Tokens: split on non-alphanumerics, then split
camelCase / snake_case into lower-cased parts, keeping the whole identifier lower-cased too; queries the same way.
Prints hit@1, hit@5, hit@10, MRR (reciprocal rank of the best-ranked gold file, 0 beyond rank 100) and the number
of queries; --json adds each query's best gold rank (`per_query`: id -> rank or null), which
scripts/eval/paired_bootstrap.py pairs with `cgr eval --json`. Python 3.11, stdlib only.
"""
import argparse
import gzip
import json
import math
import os
import re
from collections import Counter, defaultdict

CODE_EXT = {".cs", ".go", ".js", ".mjs", ".cjs", ".ts", ".py", ".java", ".kt", ".rb", ".php", ".c", ".h", ".cpp", ".rs"}
K1, B, DEPTH = 1.2, 0.75, 100
IDENT = re.compile(r"[A-Za-z0-9_]+")
PART = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")


def tokens(text: str) -> list[str]:
    out = []
    for ident in IDENT.findall(text):
        parts = [p.lower() for p in PART.findall(ident)]
        out.extend(parts)
        whole = ident.strip("_").lower()
        if whole and (len(parts) != 1 or parts[0] != whole):
            out.append(whole)
    return out


def source_files(tree: str) -> list[str]:
    files = []
    for root, dirs, names in os.walk(tree):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in names:
            if os.path.splitext(name)[1].lower() in CODE_EXT:
                files.append(os.path.relpath(os.path.join(root, name), tree).replace(os.sep, "/"))
    return sorted(files)


class BM25:
    def __init__(self, tree: str):
        self.paths = source_files(tree)
        self.postings, self.lengths = defaultdict(list), []
        for i, path in enumerate(self.paths):
            with open(os.path.join(tree, path), encoding="utf-8", errors="replace") as f:
                tf = Counter(tokens(path) + tokens(f.read()))
            self.lengths.append(sum(tf.values()))
            for term, n in tf.items():
                self.postings[term].append((i, n))
        self.avgdl = sum(self.lengths) / max(len(self.lengths), 1)

    def search(self, query: str, depth: int = DEPTH) -> list[str]:
        n_docs, scores = len(self.paths), defaultdict(float)
        for term in set(tokens(query)):
            posting = self.postings.get(term, [])
            idf = math.log(1 + (n_docs - len(posting) + 0.5) / (len(posting) + 0.5))
            for doc, tf in posting:
                norm = K1 * (1 - B + B * self.lengths[doc] / self.avgdl)
                scores[doc] += idf * tf * (K1 + 1) / (tf + norm)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], self.paths[kv[0]]))[:depth]
        return [self.paths[doc] for doc, _ in ranked]


def read_queries(path: str) -> list[dict]:
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def evaluate(index: BM25, queries: list[dict]) -> dict:
    hits, rr, per_query = Counter(), 0.0, {}
    for q in queries:
        gold = {g if isinstance(g, str) else g["path"] for g in q["gold"]}
        ranks = [r for r, path in enumerate(index.search(q["query"]), 1) if path in gold]
        first = ranks[0] if ranks else None
        per_query[q["id"]] = first
        for k in (1, 5, 10):
            hits[k] += first is not None and first <= k
        rr += 1 / first if first else 0.0
    n = max(len(queries), 1)
    return {"hit@1": hits[1] / n, "hit@5": hits[5] / n, "hit@10": hits[10] / n, "mrr": rr / n,
            "queries": len(queries), "documents": len(index.paths), "per_query": per_query}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tree", required=True, help="checkout of the evaluated tree")
    ap.add_argument("--queries", required=True, help="JSONL or JSONL.gz with id, query, gold")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    a = ap.parse_args()
    result = evaluate(BM25(a.tree), read_queries(a.queries))
    if a.json:
        print(json.dumps(result))
    else:
        print(f"hit@1 {result['hit@1']:.3f}  hit@5 {result['hit@5']:.3f}  hit@10 {result['hit@10']:.3f}  "
              f"MRR {result['mrr']:.3f}  queries {result['queries']}  (documents {result['documents']})")


if __name__ == "__main__":
    main()
