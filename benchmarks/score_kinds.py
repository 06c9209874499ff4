"""Quick scorer for the kind classifier on shared data, the sample chat and a held-out file."""

import json
import sys
import time
from collections import Counter
from pathlib import Path

from bot.domain import Kind
from bot.judgement.classify import Classifier

DATA = Path("/work/shared/data")


def report(name, pairs, show):
    clf = Classifier()
    tp, fp, fn = Counter(), Counter(), Counter()
    for text, truth in pairs:
        got = clf.classify(text).kind
        if got == truth:
            tp[truth] += 1
        else:
            fp[got] += 1
            fn[truth] += 1
            if show:
                print(f"  {truth.value[:4]}->{got.value[:4]} | {text[:150]!r}")
    f1s = []
    for k in Kind:
        p = tp[k] / max(1, tp[k] + fp[k])
        r = tp[k] / max(1, tp[k] + fn[k])
        f = 2 * p * r / max(1e-9, p + r)
        f1s.append(f)
        print(f"  {name:10} {k.value:13} P={p:.3f} R={r:.3f} F1={f:.3f} n={tp[k] + fn[k]}")
    print(f"  {name:10} macro-F1 {sum(f1s) / 4:.3f}")


show = "-v" in sys.argv
msgs = [json.loads(x) for x in (DATA / "messages.jsonl").open()]
report("messages", [(m["text"], Kind(m["kind"])) for m in msgs], show)
chat = json.load((DATA / "sample_chat_truth.json").open())["messages"]
report("chat", [(m["text"], Kind(m["kind"])) for m in chat if not m.get("system")], show)
held = Path(__file__).with_name("heldout_kinds.jsonl")
if held.exists():
    rows = [json.loads(x) for x in held.open()]
    report("heldout", [(r["text"], Kind(r["kind"])) for r in rows], show)
corpus = [m["text"] for m in msgs] + [m["text"] for m in chat]
clf = Classifier()
for t in corpus:
    clf.classify(t)
start = time.perf_counter()
n = 0
while time.perf_counter() - start < 2:
    for t in corpus:
        clf.classify(t)
    n += len(corpus)
print(f"throughput {n / (time.perf_counter() - start):,.0f} msg/s on {len(corpus)} mixed messages")
