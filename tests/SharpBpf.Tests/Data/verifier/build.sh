#!/usr/bin/env bash
# Rebuilds the verifier test objects with clang-19 (objects are committed; tests do not need clang).
# Each object holds one program that breaks one verifier rule: r* the timer spec, call_* the helper-call and structure
# rules of issue 9, ref_* reference tracking of ring buffer records and (ref_sock_*) sockets, kfunc_* the kfuncs
# SharpBpf implements (ok_* are accepted neighbours).
set -euo pipefail
cd "$(dirname "$0")"
command -v clang-19 >/dev/null || { echo "clang-19 is needed (apt-get install clang-19)" >&2; exit 1; }
for source in *.c; do
  cpu=v3
  [[ "$source" == *ctx_sign_* ]] && cpu=v4  # sign-extending loads
  clang-19 -O2 -g -target bpf -mcpu="$cpu" -Wall -Werror -I/usr/include/"$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)" \
    -fdebug-prefix-map="$PWD"=. -c "$source" -o "${source%.c}.o"
done
# R43 without func info: the same callback program with .BTF.ext removed, so the kernel gets no func_info.
command -v llvm-objcopy-19 >/dev/null || { echo "llvm-objcopy-19 is needed (apt-get install llvm-19)" >&2; exit 1; }
llvm-objcopy-19 --remove-section=.BTF.ext r43_no_func_info.o
