#!/usr/bin/env python3
"""Loads every example into the Linux kernel with bpftool, runs it on the
packets in packets/, and prints the verdicts and map contents as Markdown.

This is the oracle the README's "Expected results" come from. It needs root,
a BPF-capable kernel and bpftool; it pins under /sys/fs/bpf/sharpbpf-* and
removes everything it pinned, also on failure.

Usage: sudo ./kernel-check.py [example ...]     (default: all scenarios)
"""
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BPFFS = "/sys/fs/bpf"

# example -> list of steps: ("run", program, packet) or ("wait", seconds, why)
SCENARIOS = {
    "proto_counters": [("run", "count_protocols", p) for p in
                       ["ipv4_udp", "ipv4_tcp", "ipv4_icmp", "ipv6_udp", "ipv6_tcp", "arp", "vlan_ipv4_udp",
                        "ipv4_truncated"]],
    "packet_parser": [("run", "parse_packet", p) for p in
                      ["ipv4_udp", "ipv4_tcp", "ipv4_tcp_telnet", "ipv4_udp_discard", "ipv4_icmp", "ipv4_options_udp",
                       "ipv6_udp", "ipv6_tcp", "vlan_ipv4_udp", "qinq_ipv6_tcp", "arp", "ipv4_truncated"]],
    "flow_table": [("run", "track_flows", p) for p in
                   ["ipv4_udp", "ipv4_udp", "ipv4_tcp", "ipv6_udp", "arp"]],
    "global_data": [("run", "check_length", p) for p in ["ipv4_udp", "ipv4_tcp_telnet", "arp", "ipv6_tcp"]],
    "subprograms": [("run", "program_a", "ipv4_udp"), ("run", "program_b", "ipv4_tcp"),
                    ("run", "program_a", "ipv4_udp_discard")],
    "loop_checksum": [("run", "checksum_packet", "ipv4_udp_discard")],
    "tail_calls": [("run", "dispatch", p) for p in ["ipv4_udp", "ipv6_udp", "arp", "ipv4_tcp"]],
    "ringbuf_events": [("run", "emit_events", p) for p in ["ipv4_udp", "arp", "ipv6_tcp"]],
    "tc_classifier": [("run", "classify_dscp", p) for p in
                      ["ipv4_udp", "ipv4_dscp8_udp", "ipv4_dscp46_udp", "ipv6_udp"]],
    "socket_filter": [("run", "keep_udp", p) for p in ["ipv4_udp", "ipv4_tcp", "ipv6_udp"]],
    "conntrack_timers": [("run", "track_connections", "ipv4_udp"), ("run", "track_connections", "ipv4_udp"),
                         ("run", "track_connections", "ipv4_tcp"), ("dump", "flows armed"),
                         ("wait", 1.5, "past the 1 s idle timeout")],
    "health_check": [("run", "count_and_check", "ipv4_udp"), ("run", "count_and_check", "ipv4_udp"),
                     ("dump", "armed"), ("wait", 0.25, "two 100 ms checks: the first sees 2 packets, the second none")],
    "sampler": [("run", "sample_traffic", "ipv4_udp"), ("run", "sample_traffic", "ipv4_tcp"),
                ("dump", "armed"), ("wait", 0.25, "two 100 ms samples")],
}


def bpftool(*args):
    result = subprocess.run(["bpftool", "-j", *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"bpftool {' '.join(args)}: {result.stderr.strip() or result.stdout.strip()}")
    return json.loads(result.stdout) if result.stdout.strip() else None


def hexbytes(values):
    return " ".join(v[2:] if v.startswith("0x") else v for v in values)


def dump_maps(map_dir):
    lines = []
    if not os.path.isdir(map_dir):
        return ["- (the object has no maps)"]
    for pin in sorted(os.listdir(map_dir)):
        info = bpftool("map", "show", "pinned", os.path.join(map_dir, pin))
        name, kind = info.get("name", pin), info["type"]
        if kind in ("ringbuf", "prog_array"):
            lines.append(f"- `{name}` ({kind}): not dumpable")
            continue
        entries = bpftool("map", "dump", "pinned", os.path.join(map_dir, pin)) or []
        lines.append(f"- `{name}` ({kind}), {len(entries)} entries")
        for entry in entries:
            key = hexbytes(entry["key"])
            if "values" in entry:  # per-CPU: sum the u64 words over the CPUs
                per_cpu = [bytes(int(b, 16) for b in v["value"]) for v in entry["values"]]
                words = len(per_cpu[0]) // 8
                total = [sum(int.from_bytes(c[8 * i:8 * i + 8], "little") for c in per_cpu) for i in range(words)]
                lines.append(f"  - key `{key}`: sum over CPUs (u64) {total}")
            else:
                lines.append(f"  - key `{key}`: value `{hexbytes(entry['value'])}`")
    return lines


def Elapsed(started):
    """Real time since the first run: timer results depend on it, so it is recorded with them."""
    return f"{(time.monotonic() - started) * 1000:.0f} ms after the first run" if started else "no runs"


def check(example):
    obj = os.path.join(HERE, example + ".o")
    prog_dir = f"{BPFFS}/sharpbpf-{example}"
    map_dir = f"{BPFFS}/sharpbpf-{example}-maps"
    out = [f"### {example}", ""]
    try:
        # pinmaps keeps a user reference on every map: without one, bpf_timer_init returns -EPERM.
        subprocess.run(["bpftool", "prog", "loadall", obj, prog_dir, "pinmaps", map_dir], check=True,
                       capture_output=True, text=True)
        out.append(f"Loaded (verifier accepted): {', '.join(sorted(os.listdir(prog_dir)))}")
        out.append("")
        out.append("| step | program | input | retval |")
        out.append("|---|---|---|---|")
        started = None
        for number, step in enumerate(SCENARIOS[example], 1):
            if step[0] == "run":
                _, prog, packet = step
                extra, ctx_out = [], f"/tmp/sharpbpf-ctx-out-{os.getpid()}"
                if example == "tc_classifier":  # mark and priority are visible only in the context
                    extra = ["ctx_in", os.path.join(HERE, "packets", "sk_buff_zero.ctx"), "ctx_out", ctx_out]
                started = started or time.monotonic()
                result = bpftool("prog", "run", "pinned", f"{prog_dir}/{prog}", "data_in",
                                 os.path.join(HERE, "packets", packet + ".bin"), *extra, "repeat", "1")
                retval = str(result["retval"])
                if extra:
                    with open(ctx_out, "rb") as f:
                        skb = f.read()
                    os.unlink(ctx_out)
                    mark = int.from_bytes(skb[8:12], "little")
                    priority = int.from_bytes(skb[32:36], "little")
                    retval += f" (skb->mark {mark:#x}, skb->priority {priority})"
                out.append(f"| {number} | {prog} | {packet}.bin | {retval} |")
            elif step[0] == "dump":
                out.append("")
                out.append(f"Maps after step {number - 1} ({step[1]}, {Elapsed(started)}):")
                out.extend(dump_maps(map_dir))
                out.append("")
                out.append("| step | program | input | retval |")
                out.append("|---|---|---|---|")
            else:
                time.sleep(step[1])
                out.append(f"| {number} | (wait {int(step[1] * 1000)} ms: {step[2]}) | | |")
        out.append("")
        out.append(f"Maps at the end ({Elapsed(started)}):")
        out.extend(dump_maps(map_dir))
    finally:
        for path in (prog_dir, map_dir):
            if os.path.isdir(path):
                shutil.rmtree(path, ignore_errors=True)  # unlinking the pins frees programs, maps and timers
    out.append("")
    return out


def main():
    if os.geteuid() != 0:
        sys.exit("kernel-check.py: needs root (BPF_PROG_LOAD, bpffs)")
    if shutil.which("bpftool") is None:
        sys.exit("kernel-check.py: bpftool not found")
    if not os.path.ismount(BPFFS):
        subprocess.run(["mount", "-t", "bpf", "bpf", BPFFS], check=True)
    for example in sys.argv[1:] or SCENARIOS:
        print("\n".join(check(example)))


if __name__ == "__main__":
    main()
