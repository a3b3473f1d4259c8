#!/usr/bin/env bash
# Measures, on the running kernel, which helpers each program type may call and which are GPL-only or might sleep:
# helper_probe loads "call N; r0 = 0; exit" for every id under a GPL and a proprietary license and prints the
# verifier's last line. The output (measured.txt) feeds generate.py, which writes src/SharpBpf/Helpers/HelperTable.Entries.cs.
# Needs root, libbpf-dev and gcc. Program types that need attach BTF (tracing, lsm, ext, struct_ops) or a kernel
# option this machine lacks (lirc_mode2) are not measured.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
gcc -O2 -o "$work/helper_probe" helper_probe.c -lbpf
{
  echo "# $(uname -sr): program_type helper_id verdict_gpl verdict_proprietary (see helper_probe.c)"
  # type expected_attach_type attach_btf_function prog_flags
  for args in "1 0" "2 0" "3 0" "4 0" "5 0" "6 37" "7 0" "8 0" "9 2" "10 0" "11 0" "12 0" "13 3" "14 5" "15 6" \
              "16 7" "17 0" "18 10" "19 0" "21 39" "22 17" "23 18" "24 0" "25 22" "30 36" "31 0 - 16" "32 45"; do
    set -- $args
    "$work/helper_probe" "$1" "$2" "${3:--}" "${4:-0}" 1 215
  done
} > measured.txt
rm -rf "$work"
