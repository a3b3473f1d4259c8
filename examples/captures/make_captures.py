#!/usr/bin/env python3
"""Writes the committed example captures (deterministic; run again to rebuild them byte for byte).

conntrack.pcap (libpcap, microseconds) and conntrack.pcapng (one section, one Ethernet interface, nanosecond
timestamps) hold the same ten seconds of traffic for examples/conntrack_timers.o, whose flows expire after 1 s idle:
  - dns:    a UDP query every 200 ms for the whole capture: refreshed, never expires;
  - burst:  five UDP packets in the first 400 ms, then silence: expires at about 1.4 s;
  - web:    a TCP exchange at 2.0-2.3 s, then silence: expires at about 3.3 s;
  - return: UDP at 4.0 s and again at 6.5 s: expires in between and is created again;
  - steady: UDP every 900 ms: each gap is shorter than the timeout, so it never expires;
  - sparse: UDP every 1.5 s: expires after each packet and is created again by the next;
  - ARP requests now and then, which the tracker passes without tracking.
"""
import struct
from pathlib import Path

HERE = Path(__file__).resolve().parent
START_S = 1_767_225_600  # 2026-01-01 00:00:00 UTC
MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(src: str, dst: str, proto: int, payload: bytes, ident: int) -> bytes:
    addr = lambda a: bytes(int(x) for x in a.split("."))
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident & 0xFFFF, 0x4000, 64, proto, 0, addr(src), addr(dst))
    header = header[:10] + struct.pack("!H", checksum(header)) + header[12:]
    return MAC_B + MAC_A + b"\x08\x00" + header + payload


def udp(src, dst, sport, dport, body: bytes, ident: int) -> bytes:
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(body), 0) + body, ident)


def tcp(src, dst, sport, dport, flags: int, seq: int, body: bytes, ident: int) -> bytes:
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, 0, 5 << 4, flags, 65535, 0, 0)
    return ipv4(src, dst, 6, header + body, ident)


def arp(sender: str, target: str) -> bytes:
    addr = lambda a: bytes(int(x) for x in a.split("."))
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_A, addr(sender), b"\0" * 6, addr(target))
    return b"\xff" * 6 + MAC_A + b"\x08\x06" + body + b"\0" * 18


def traffic():
    packets = []  # (time in ns from the start, frame)
    ms = 1_000_000
    for i in range(50):
        packets.append((i * 200 * ms, udp("10.0.0.2", "10.0.0.53", 40000, 53, b"query" + bytes([i]), i)))
    for i in range(5):
        packets.append((i * 100 * ms + 7 * ms, udp("10.0.0.3", "10.0.0.9", 5000, 9000, b"burst" * 10, 100 + i)))
    for i, (flags, body) in enumerate([(0x02, b""), (0x12, b""), (0x10, b""), (0x18, b"GET / HTTP/1.1\r\n\r\n"), (0x11, b"")]):
        packets.append((2000 * ms + i * 75 * ms, tcp("10.0.0.4", "10.0.0.80", 33000, 80, flags, 1000 + i, body, 200 + i)))
    for t in (4000, 4050, 6500, 6550):
        packets.append((t * ms + 3 * ms, udp("10.0.0.5", "10.0.0.7", 6000, 7000, b"back again", t)))
    for i in range(11):
        packets.append((i * 900 * ms + 11 * ms, udp("10.0.0.6", "10.0.0.8", 6100, 7100, b"steady", 300 + i)))
    for i in range(7):
        packets.append((i * 1500 * ms + 13 * ms, udp("10.0.0.10", "10.0.0.11", 6200, 7200, b"sparse", 400 + i)))
    for i in range(5):
        packets.append((i * 2000 * ms + 17 * ms, arp("10.0.0.1", f"10.0.0.{20 + i}")))
    return sorted(packets, key=lambda p: p[0])


def write_pcap(path: Path, packets):
    with path.open("wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for t, frame in packets:
            ns = START_S * 1_000_000_000 + t
            out.write(struct.pack("<IIII", ns // 1_000_000_000, (ns % 1_000_000_000) // 1000, len(frame), len(frame)))
            out.write(frame)


def block(kind: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)


def write_pcapng(path: Path, packets):
    with path.open("wb") as out:
        out.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + struct.pack("<HH", 0, 0)))
        tsresol = struct.pack("<HHB3x", 9, 1, 9)  # nanoseconds
        out.write(block(1, struct.pack("<HHI", 1, 0, 65535) + tsresol + struct.pack("<HH", 0, 0)))
        for t, frame in packets:
            ns = START_S * 1_000_000_000 + t
            padded = frame + b"\0" * (-len(frame) % 4)
            out.write(block(6, struct.pack("<IIIII", 0, ns >> 32, ns & 0xFFFFFFFF, len(frame), len(frame)) + padded))


if __name__ == "__main__":
    packets = traffic()
    write_pcap(HERE / "conntrack.pcap", packets)
    write_pcapng(HERE / "conntrack.pcapng", packets)
    print(f"{len(packets)} packets over {packets[-1][0] / 1e9:.3f} s")
