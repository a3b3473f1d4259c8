#!/usr/bin/env bash
# Records this machine's Linux verdict on every PREVAIL case that translates into a Linux program (needs root):
#   record.sh        expected.txt and prevail-vs-linux.txt from Linux, then gaps.txt, skipped.txt, summary.txt
#   record.sh gaps   only gaps.txt, skipped.txt and summary.txt, from the recorded expected.txt (after a verifier change)
# The translation is C# (tests/SharpBpf.Tests/Prevail), so the recording runs as the gated PrevailRecorder test.
set -euo pipefail
cd "$(dirname "$0")"
mode="${1:-linux}"
[ -f expected.txt ] || echo "# none recorded yet" > expected.txt
[ -f gaps.txt ] || echo "# none" > gaps.txt
dotnet test ../../SharpBpf.Tests.csproj --filter "FullyQualifiedName~PrevailRecorder" -e SHARPBPF_PREVAIL_RECORD="$mode" -v q
cat summary.txt
