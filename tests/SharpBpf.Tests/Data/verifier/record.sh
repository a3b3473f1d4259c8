#!/usr/bin/env bash
# Asks this machine's Linux (root, libbpf, bpftool) for its verdict on the given objects: prints each one's expected.txt
# line (object program insn error) and keeps its logs in kernel-logs/ (level 1 through `sharpbpf verify --engine
# kernel`, level 2 through bpftool prog loadall -d, between libbpf's BEGIN/END markers, timing lines dropped).
# Accepted objects print nothing. Usage: ./record.sh ref_*.o
set -euo pipefail
cd "$(dirname "$0")"
root=../../../..
dotnet build "$root/src/SharpBpf.Cli" -c Release -v q >/dev/null
cli="$root/src/SharpBpf.Cli/bin/Release/net10.0/sharpbpf.dll"
pin=/sys/fs/bpf/sharpbpf-record-$$
for object in "$@"; do
  name="${object%.o}"
  dotnet "$cli" verify "$object" --engine kernel --json 2>/dev/null | python3 -c '
import json, sys
object, name = sys.argv[1], sys.argv[2]
for p in json.load(sys.stdin)["programs"]:
    if p["accepted"]:
        continue
    insn = "-" if p["insn"] is None else p["insn"]
    print(object, p["program"], insn, p["error"].splitlines()[0])
    with open(f"kernel-logs/{name}.level1.txt", "w") as log:
        log.write(p["log"])' "$object" "$name" || true  # verify exits 1 on a rejection
  if [[ -f "kernel-logs/$name.level1.txt" ]]; then
    bpftool prog loadall "$object" "$pin" -d 2>&1 \
      | sed -n '/-- BEGIN PROG LOAD LOG --/,/-- END PROG LOAD LOG --/p' \
      | sed -e '1s/.*-- BEGIN PROG LOAD LOG --//' -e '/-- END PROG LOAD LOG --/d' -e '/^verification time /d' -e '/^stack depth /d' \
      | sed '1{/^$/d}' > "kernel-logs/$name.level2.txt" || true
    rm -rf "$pin"
  fi
done
