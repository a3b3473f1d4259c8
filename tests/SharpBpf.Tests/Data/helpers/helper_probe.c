// Measures which helpers each program type may call on this kernel, and which are GPL-only or might sleep: loads
// "call N; r0 = 0; exit" under a GPL and a proprietary license and classifies the verifier's last line:
// O offered (accepted, or refused later for its arguments), N "program of this type cannot use helper",
// U "invalid func unknown", G "cannot call GPL-restricted function", S "helper call might sleep",
// A "helper call is not allowed in probe", F "func ... not supported for program type", E load failed before the verifier.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

static char log_buf[65536];

static const char *last_line(const char *log) {
    static char line[512];
    line[0] = 0;
    const char *p = log, *start = log;
    const char *best = NULL;
    while (*p) {
        const char *e = strchr(p, '\n');
        if (!e) e = p + strlen(p);
        if (e > p && strncmp(p, "processed ", 10) && strncmp(p, "verification time", 17) && strncmp(p, "stack depth", 11)) best = p;
        p = *e ? e + 1 : e;
    }
    (void)start;
    if (best) { const char *e = strchr(best, '\n'); size_t n = e ? (size_t)(e - best) : strlen(best); if (n > 500) n = 500; memcpy(line, best, n); line[n] = 0; }
    return line;
}

static char classify(const char *log) {
    const char *line = last_line(log);
    if (!line[0]) return 'E';
    if (strstr(line, "cannot use helper")) return 'N';
    if (strstr(line, "invalid func unknown")) return 'U';
    if (strstr(line, "GPL-restricted")) return 'G';
    if (strstr(line, "might sleep")) return 'S';
    if (strstr(line, "not allowed in probe")) return 'A';
    if (strstr(line, "not supported for program type")) return 'F';
    return 'O';
}

int main(int argc, char **argv) {
    int type = atoi(argv[1]);
    int attach = atoi(argv[2]);
    const char *btf_fn = argc > 3 && strcmp(argv[3], "-") ? argv[3] : NULL;
    int flags = argc > 4 ? atoi(argv[4]) : 0;
    int from = argc > 5 ? atoi(argv[5]) : 1, to = argc > 6 ? atoi(argv[6]) : 215;
    const char *licenses[] = { "GPL", "Proprietary" };
    for (int id = from; id <= to; id++) {
        for (int l = 0; l < 2; l++) {
            struct bpf_insn code[] = {
                { .code = BPF_JMP | BPF_CALL, .imm = id },
                { .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0, .imm = 0 },
                { .code = BPF_JMP | BPF_EXIT },
            };
            LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = log_buf, .log_size = sizeof log_buf, .log_level = 1,
                        .expected_attach_type = attach, .prog_flags = flags);
            if (btf_fn) {
                int btf_id = libbpf_find_vmlinux_btf_id(btf_fn, attach);
                if (btf_id < 0) { fprintf(stderr, "no btf id for %s\n", btf_fn); return 1; }
                opts.attach_btf_id = btf_id;
            }
            log_buf[0] = 0;
            int fd = bpf_prog_load(type, "probe", licenses[l], code, 3, &opts);
            if (l == 0) printf("%d %d", type, id);
            printf(" %c", fd >= 0 ? (close(fd), 'O') : classify(log_buf));
            if (l == 1) printf("\n");
        }
    }
    return 0;
}
