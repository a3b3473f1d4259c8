#!/bin/sh
# Regenerates the libbpf goldens (*.libbpf.txt) for every committed object: what libbpf makes of it
# (object name, maps, programs, and the final linked instructions after loading into the kernel).
# Needs gcc, libbpf-dev and root (programs are loaded). Objects the kernel's verifier rejects are opened only.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
gcc -O1 -Wall -o /tmp/libbpf_oracle "$here/libbpf_oracle.c" -lbpf
for obj in "$root"/examples/*.o "$root"/tests/SharpBpf.Tests/Data/btf/*.o "$root"/tests/SharpBpf.Tests/Data/kernel/*.o \
           "$root"/tests/SharpBpf.Tests/Data/elf/subprograms_v4_nodebug.o "$here"/*.o; do
	[ -f "$obj" ] || continue
	name=$(basename "$obj" .o)
	case "$name" in verifier_reject) mode=noload ;; *) mode= ;; esac
	/tmp/libbpf_oracle "$obj" $mode > "$here/$name.libbpf.txt"
done
