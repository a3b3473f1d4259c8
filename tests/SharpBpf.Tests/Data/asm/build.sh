#!/bin/sh
# Rebuilds the llvm-objdump golden files of tests/SharpBpf.Tests/Asm/LlvmGoldenTests.cs.
# Needs clang-19, llvm-mc-19 and llvm-objdump-19. all-rows.s is written by the tests themselves
# (SHARPBPF_UPDATE_GOLDEN=1 dotnet test --filter AllRowsSourceIsCurrent) from the opcode table.
set -eu
cd "$(dirname "$0")"
for c in *.c; do clang-19 -O2 -target bpf -mcpu=v4 -c "$c" -o "${c%.c}.o"; done
for s in *.s; do llvm-mc-19 -triple bpfel -filetype=obj "$s" -o "${s%.s}.o"; done
# --mcpu=v4: llvm-objdump-19 decodes 32-bit atomics and cpu v4 instructions only with v3+.
for o in *.o; do llvm-objdump-19 -d --mcpu=v4 "$o" > "${o%.o}.objdump.txt"; done
