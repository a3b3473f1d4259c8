#!/usr/bin/env python3
"""Writes the example input packets (*.bin) next to this script.

Deterministic: the same bytes every time, so the expected results in
examples/README.md stay valid. Checksums are filled in (IPv4 header), L4
checksums are left zero (no example checks them).
"""
import os
import struct

DST_MAC = bytes.fromhex("020000000002")
SRC_MAC = bytes.fromhex("020000000001")


def ethernet(ether_type, payload, vlans=()):
    header = DST_MAC + SRC_MAC
    for tpid, vid in vlans:
        header += struct.pack("!HH", tpid, vid)
    return header + struct.pack("!H", ether_type) + payload


def ipv4_checksum(header):
    total = sum(struct.unpack("!%dH" % (len(header) // 2), header))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4(protocol, payload, src="10.0.0.1", dst="10.0.0.2", tos=0, options=b""):
    ihl = 5 + len(options) // 4
    header = struct.pack("!BBHHHBBH4s4s", (4 << 4) | ihl, tos, ihl * 4 + len(payload), 0x1234, 0,
                         64, protocol, 0, bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    header += options
    checksum = ipv4_checksum(header)
    return header[:10] + struct.pack("!H", checksum) + header[12:] + payload


def ipv6(next_header, payload, src_last=1, dst_last=2):
    src = bytes.fromhex("20010db8000000000000000000000000")[:15] + bytes([src_last])
    dst = bytes.fromhex("20010db8000000000000000000000000")[:15] + bytes([dst_last])
    return struct.pack("!IHBB", 6 << 28, len(payload), next_header, 64) + src + dst + payload


def udp(sport, dport, data=b""):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, data=b""):
    # seq 1, ack 0, data offset 5, flags SYN, window 65535
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x02, 65535, 0, 0) + data


ARP = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + SRC_MAC + bytes([10, 0, 0, 1]) + bytes(6) + bytes([10, 0, 0, 2])
PAYLOAD = bytes(range(32))

PACKETS = {
    "ipv4_udp": ethernet(0x0800, ipv4(17, udp(40000, 53, PAYLOAD))),
    "ipv4_tcp": ethernet(0x0800, ipv4(6, tcp(40001, 80, PAYLOAD))),
    "ipv4_tcp_telnet": ethernet(0x0800, ipv4(6, tcp(40002, 23))),
    "ipv4_udp_discard": ethernet(0x0800, ipv4(17, udp(40003, 9))),
    "ipv4_icmp": ethernet(0x0800, ipv4(1, struct.pack("!BBHHH", 8, 0, 0, 1, 1) + PAYLOAD)),
    "ipv4_options_udp": ethernet(0x0800, ipv4(17, udp(40004, 5000, PAYLOAD), options=bytes([1, 1, 1, 0]))),
    "ipv4_dscp8_udp": ethernet(0x0800, ipv4(17, udp(40005, 5001, PAYLOAD), tos=8 << 2)),
    "ipv4_dscp46_udp": ethernet(0x0800, ipv4(17, udp(40006, 5002, PAYLOAD), tos=46 << 2)),
    "ipv6_udp": ethernet(0x86DD, ipv6(17, udp(40007, 53, PAYLOAD))),
    "ipv6_tcp": ethernet(0x86DD, ipv6(6, tcp(40008, 443, PAYLOAD))),
    "vlan_ipv4_udp": ethernet(0x0800, ipv4(17, udp(40009, 53, PAYLOAD)), vlans=[(0x8100, 100)]),
    "qinq_ipv6_tcp": ethernet(0x86DD, ipv6(6, tcp(40010, 22)), vlans=[(0x88A8, 10), (0x8100, 20)]),
    "arp": ethernet(0x0806, ARP),
    "ipv4_truncated": ethernet(0x0800, ipv4(17, udp(40011, 53)))[:14 + 12],
    "runt": DST_MAC + SRC_MAC[:4],
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    for name, data in PACKETS.items():
        with open(os.path.join(here, name + ".bin"), "wb") as f:
            f.write(data)
        print(f"{name}.bin {len(data)} bytes")
    # An all-zero struct __sk_buff (192 bytes in Linux 6.x UAPI) as ctx_in: the kernel
    # writes ctx_out (skb->mark, skb->priority ...) only when a context goes in.
    with open(os.path.join(here, "sk_buff_zero.ctx"), "wb") as f:
        f.write(bytes(192))


if __name__ == "__main__":
    main()
