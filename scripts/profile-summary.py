#!/usr/bin/env python3
"""Sums a LibTorch Chrome trace (kinora-cli train with KINORA_TRAIN_PROFILE=trace.json)
by phase (the trainer's phase:* scopes: render, encode, transformer_forward, backward,
optimizer) and by operator (self time: an operator's time minus the operators it calls).

    python3 scripts/profile-summary.py trace.json [TOP=25]
"""
import collections, json, sys

path = sys.argv[1]
top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
with open(path) as f:
    data = json.load(f)
events = data["traceEvents"] if isinstance(data, dict) else data
spans = [e for e in events if e.get("ph") == "X" and "dur" in e]
by_tid = collections.defaultdict(list)
for e in spans:
    by_tid[e.get("tid")].append(e)

phases = collections.Counter()
self_time = collections.Counter()
calls = collections.Counter()
wall = 0.0
for tid, evs in by_tid.items():
    evs.sort(key=lambda e: (e["ts"], -e["dur"]))
    # self time via explicit nesting: spans on one thread nest or follow each other
    open_ = []
    for e in evs:
        ts, dur, name = e["ts"], e["dur"], e["name"]
        while open_ and open_[-1]["end"] <= ts:
            done = open_.pop()
            if not done["name"].startswith("phase:"):
                self_time[done["name"]] += done["dur"] - done["child"]
        if name.startswith("phase:"):
            phases[name[6:]] += dur
        else:
            # a child of the innermost open operator (phases are not operators)
            for parent in reversed(open_):
                if not parent["name"].startswith("phase:"):
                    parent["child"] += dur
                    break
            calls[name] += 1
        open_.append({"end": ts + dur, "name": name, "dur": dur, "child": 0.0})
    for done in open_:
        if not done["name"].startswith("phase:"):
            self_time[done["name"]] += done["dur"] - done["child"]
    if evs:
        wall = max(wall, max(e["ts"] + e["dur"] for e in evs) - min(e["ts"] for e in evs))

total_ops = sum(self_time.values())
print(f"wall {wall / 1e3:.0f} ms, operator self time {total_ops / 1e3:.0f} ms")
print("phases (ms):", ", ".join(f"{k} {v / 1e3:.0f}" for k, v in phases.most_common()))
print(f"{'operator':45s} {'self ms':>9s} {'share':>6s} {'calls':>6s}")
for name, t in self_time.most_common(top):
    print(f"{name[:45]:45s} {t / 1e3:9.1f} {100 * t / max(total_ops, 1):5.1f}% {calls[name]:6d}")
