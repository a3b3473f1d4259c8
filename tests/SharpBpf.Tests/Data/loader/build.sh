#!/bin/sh
# Regenerates the libbpf goldens (*.libbpf.txt) for every committed object: what libbpf makes of it
# (object name, maps, programs, and the final linked instructions after loading into the kernel).
# Also rebuilds the loader test objects (*.c here and legacy/*.c, which libbpf 1.x refuses: no goldens) with clang-19. Needs gcc, libbpf-dev and root (programs are loaded). Objects the kernel's verifier rejects are opened only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
CLANG="${CLANG:-clang-19}"
for source in "$here"/*.c; do
	case "$source" in */libbpf_oracle.c) continue ;; esac
	"$CLANG" -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -fdebug-prefix-map="$here"=. -c "$source" -o "${source%.c}.o"
done
for source in "$here"/legacy/*.c; do
	"$CLANG" -O2 -g -target bpf -mcpu=v3 -I/usr/include/x86_64-linux-gnu -fdebug-prefix-map="$here"=. -c "$source" -o "${source%.c}.o"
done
gcc -O1 -Wall -o /tmp/libbpf_oracle "$here/libbpf_oracle.c" -lbpf
for obj in "$root"/examples/*.o "$root"/tests/SharpBpf.Tests/Data/btf/*.o "$root"/tests/SharpBpf.Tests/Data/kernel/*.o \
           "$root"/tests/SharpBpf.Tests/Data/elf/subprograms_v4_nodebug.o "$here"/*.o; do
	[ -f "$obj" ] || continue
	name=$(basename "$obj" .o)
	case "$name" in verifier_reject) mode=noload ;; *) mode= ;; esac
	# an object libbpf refuses prints "open failed" and exits 1; that is a golden too
	/tmp/libbpf_oracle "$obj" $mode > "$here/$name.libbpf.txt" || true
done
