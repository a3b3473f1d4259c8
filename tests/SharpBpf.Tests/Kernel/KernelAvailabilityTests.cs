using SharpBpf.Kernel;

namespace SharpBpf.Tests.Kernel;

public class KernelAvailabilityTests
{
    [KernelFact]
    public void LibBpfVersion_IsDebiansLibbpfOne()
    {
        Assert.StartsWith("v1.", KernelAvailability.LibBpfVersion);
    }

    [KernelFact]
    public void ThrowIfUnavailable_PassesWhereCheckSaysUsable()
    {
        Assert.Null(KernelAvailability.Check());
        KernelAvailability.ThrowIfUnavailable();
    }
}
