using SharpBpf.Kernel;
using SharpBpf.Tests.Support;

namespace SharpBpf.Tests.Kernel;

public class KernelLoadErrorTests
{
    [KernelFact]
    public void VerifierRejection_CarriesTheKernelLogInTheMessage()
    {
        var error = Assert.Throws<KernelLoadException>(() => KernelObject.Open(KernelTestData.PathOf("verifier_reject.o")));

        Assert.Equal("no_bounds_check", error.ProgramName);
        Assert.Equal("verifier_reject.o", error.FileName);
        Assert.Equal(13, error.Errno); // EACCES
        Assert.NotNull(error.VerifierLog);
        Assert.Contains("invalid access to packet", error.VerifierLog);
        Assert.Contains("invalid access to packet", error.Message);
        Assert.Contains("processed ", error.Message);
        Assert.Contains("libbpf: prog 'no_bounds_check': BPF program load failed", error.Log);
    }

    [KernelFact]
    public void NotAnElfObject_IsRefusedWithLibbpfsLog()
    {
        byte[] junk = "this is not an ELF object at all"u8.ToArray();

        var error = Assert.Throws<KernelLoadException>(() => KernelObject.Open(junk, "junk"));

        Assert.Null(error.ProgramName);
        Assert.Null(error.VerifierLog);
        Assert.Equal(4001, error.Errno);
        Assert.Contains("BPF object format invalid (LIBBPF_ERRNO__FORMAT)", error.Message);
        Assert.Contains("libbpf: elf: 'junk' is not a proper ELF object", error.Log);
    }

    [KernelFact]
    public void SectionTheMachinesLibbpfDoesNotKnow_IsJudgedByTheVerifier()
    {
        // libbpf 1.1 has no cgroup/recvmsg_unix; typed from SharpBpf's table, the kernel's verifier sees the program
        // and refuses its return value (recvmsg must return 1) instead of the load failing before the verifier.
        string path = Path.Combine(TestPaths.TestData, "generated", "objects", "rt3_unix_recvmsg_ret0.o");

        var error = Assert.Throws<KernelLoadException>(() => KernelObject.Open(path, "prog"));

        Assert.Equal("prog", error.ProgramName);
        Assert.NotNull(error.VerifierLog);
        Assert.Contains("should have been in [1, 1]", error.VerifierLog);
    }

    [KernelFact]
    public void MissingFile_IsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => KernelObject.Open(KernelTestData.PathOf("does_not_exist.o")));
    }
}
