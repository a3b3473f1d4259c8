// SPDX-License-Identifier: MIT
// libbpf_oracle: prints what libbpf (1.1 here) makes of a BPF object, in the format the loader tests compare
// against (LoaderGolden.Format). Run as root: the programs are loaded into the kernel so that libbpf relocates
// and links them; the instructions printed are libbpf's final ones, with map fds replaced by map names.
// Build and run: see build.sh in this folder.
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>

static int quiet(enum libbpf_print_level level, const char *format, va_list args) { return getenv("ORACLE_DEBUG") && level != LIBBPF_DEBUG ? vfprintf(stderr, format, args) : 0; }

static const char *map_name_by_fd(struct bpf_object *obj, int fd)
{
	struct bpf_map *map;
	bpf_object__for_each_map(map, obj)
		if (bpf_map__fd(map) == fd)
			return bpf_map__name(map);
	return "?";
}

int main(int argc, char **argv)
{
	if (argc < 2) { fprintf(stderr, "usage: %s OBJ.o [noload]\n", argv[0]); return 2; }
	libbpf_set_print(quiet);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) { printf("open failed\n"); return 1; }
	int loaded = argc < 3 && bpf_object__load(obj) == 0;
	struct bpf_program *prog;
	struct bpf_map *map;
	printf("object %s\n", bpf_object__name(obj));
	bpf_object__for_each_map(map, obj) {
		printf("map %s type=%u key=%u value=%u max_entries=%u flags=0x%x btf_key=%u btf_value=%u\n",
		       bpf_map__name(map), bpf_map__type(map), bpf_map__key_size(map), bpf_map__value_size(map),
		       bpf_map__max_entries(map), bpf_map__map_flags(map), bpf_map__btf_key_type_id(map),
		       bpf_map__btf_value_type_id(map));
	}
	bpf_object__for_each_program(prog, obj) {
		printf("program %s section=%s type=%u attach=%u flags=0x%x optional=%d\n", bpf_program__name(prog),
		       bpf_program__section_name(prog), bpf_program__type(prog),
		       bpf_program__expected_attach_type(prog), bpf_program__flags(prog), !bpf_program__autoload(prog));
		if (!loaded || !bpf_program__autoload(prog))
			continue; /* libbpf neither relocates nor links a program it does not load */
		const struct bpf_insn *insns = bpf_program__insns(prog);
		size_t n = bpf_program__insn_cnt(prog);
		for (size_t i = 0; i < n; i++) {
			const struct bpf_insn *in = &insns[i];
			if (in->code == (BPF_LD | BPF_IMM | BPF_DW) && (in->src_reg == BPF_PSEUDO_MAP_FD || in->src_reg == BPF_PSEUDO_MAP_VALUE) && i + 1 < n) {
				printf("  %zu: %02x %u %u %d map:%s\n", i, in->code, in->dst_reg, in->src_reg, in->off, map_name_by_fd(obj, in->imm));
				printf("  %zu: %02x %u %u %d %d\n", i + 1, insns[i + 1].code, insns[i + 1].dst_reg, insns[i + 1].src_reg, insns[i + 1].off, insns[i + 1].imm);
				i++;
				continue;
			}
			printf("  %zu: %02x %u %u %d %d\n", i, in->code, in->dst_reg, in->src_reg, in->off, in->imm);
		}
	}
	bpf_object__close(obj);
	return 0;
}
