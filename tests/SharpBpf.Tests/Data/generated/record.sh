#!/usr/bin/env bash
# Records this machine's Linux verdict on every generated object (needs root and libbpf) into expected.txt:
#   NAME accepted
#   NAME rejected INSN REASON        (INSN "-" where the kernel's log names none)
# through `sharpbpf verify --engine kernel`, which reads the kernel's reason line as the tests compare it.
set -uo pipefail
cd "$(dirname "$0")"
root=../../../..
dotnet build "$root/src/SharpBpf.Cli" -c Release -v q >/dev/null
cli="$root/src/SharpBpf.Cli/bin/Release/net10.0/sharpbpf.dll"
kernel="$(uname -r)"
{
  echo "# Linux's verdicts on objects/*.o, recorded by record.sh on $kernel: NAME accepted | NAME rejected INSN REASON"
  for object in objects/*.o; do
    name="$(basename "${object%.o}")"
    dotnet "$cli" verify "$object" --prog prog --engine kernel --json 2>/dev/null | python3 -c '
import json, sys
v = json.load(sys.stdin)
name = sys.argv[1]
if v["accepted"]:
    print(f"{name} accepted")
else:
    insn = "-" if v["insn"] is None else v["insn"]
    print(name, "rejected", insn, v["error"].splitlines()[0])' "$name"
  done
} > expected.txt.new
mv expected.txt.new expected.txt
grep -c accepted expected.txt || true
