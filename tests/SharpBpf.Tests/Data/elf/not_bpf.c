// not_bpf.c — a trivial C file compiled for other targets (x86-64, i386, big-endian BPF) to check that
// the ELF reader rejects real objects that are not little-endian ELF64 BPF with a clear message.
int answer(void)
{
	return 42;
}
