#!/usr/bin/env python3
"""Compares SharpBpf's verifier with Linux's recorded verdicts (expected.txt) on every generated object, prints the
agreement, and rewrites gaps.txt: the objects where they differ today, each with what differs. The tests skip those
(with that reason) and fail on every other disagreement, and on a listed gap that has closed.
Usage: compare.py [path to sharpbpf.dll] (default: the Release build of src/SharpBpf.Cli)."""
import json, re, subprocess, sys
from pathlib import Path

here = Path(__file__).resolve().parent
cli = sys.argv[1] if len(sys.argv) > 1 else str(here / "../../../../src/SharpBpf.Cli/bin/Release/net10.0/sharpbpf.dll")
volatile = re.compile(r"\b(id|map_uid|map_id|ref_obj_id)=\d+")


def norm(text):
    return volatile.sub(lambda m: m.group(1) + "=N", text or "")


expected = {}
for line in (here / "expected.txt").read_text().splitlines():
    if not line or line.startswith("#"):
        continue
    parts = line.split(" ", 3)
    expected[parts[0]] = ("accepted", None, None) if parts[1] == "accepted" else ("rejected", None if parts[2] == "-" else int(parts[2]), parts[3])

gaps, agree_verdict, agree_exact, false_accepts, false_rejects, rejections, exact_rejections = [], 0, 0, 0, 0, 0, 0
for name, (verdict, insn, reason) in sorted(expected.items()):
    run = subprocess.run(["dotnet", cli, "verify", str(here / "objects" / f"{name}.o"), "--prog", "prog", "--json"], capture_output=True, text=True)
    try:
        ours = json.loads(run.stdout)
    except json.JSONDecodeError:
        gaps.append(f"{name} SharpBpf cannot judge it: {run.stderr.strip().splitlines()[0] if run.stderr.strip() else 'no output'}")
        continue
    if verdict == "accepted":
        if ours["accepted"]:
            agree_verdict += 1; agree_exact += 1
        else:
            false_rejects += 1
            gaps.append(f"{name} false reject: SharpBpf rejects at insn {ours['insn']}: {ours['error']}")
        continue
    rejections += 1
    if ours["accepted"]:
        false_accepts += 1
        gaps.append(f"{name} false accept: Linux rejects at insn {insn if insn is not None else '-'}: {reason}")
        continue
    agree_verdict += 1
    same = norm(ours["error"]) == norm(reason) and (insn is None or ours["insn"] == insn)
    if same:
        agree_exact += 1; exact_rejections += 1
    else:
        gaps.append(f"{name} other reason: Linux insn {insn if insn is not None else '-'}: {reason} | SharpBpf insn {ours['insn']}: {ours['error']}")

total = len(expected)
(here / "gaps.txt").write_text("# Written by compare.py: where SharpBpf's verdict differs from Linux's today (the tests skip these)\n"
                               + "\n".join(gaps) + ("\n" if gaps else ""))
print(f"{total} programs: verdicts agree on {agree_verdict} ({100 * agree_verdict / total:.1f}%); "
      f"{false_accepts} false accepts, {false_rejects} false rejects; "
      f"{exact_rejections} of {rejections} rejections with Linux's reason and instruction "
      f"({100 * exact_rejections / max(rejections, 1):.1f}%)")
