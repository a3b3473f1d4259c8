using System.Buffers.Binary;
using SharpBpf.Helpers;

namespace SharpBpf.Tests.Soundness;

/// <summary>
/// The packet helpers' view of a fuzz run (bpf_xdp_load_bytes, adjust_head, …). As the runtime's PacketContext it
/// keeps data, data_end and data_meta itself and writes them through to the context struct, so helpers never trust
/// what a program may have written there.
/// <see cref="Moved"/> tells the judge that the run's exact packet region no longer matches the packet.
/// </summary>
internal sealed unsafe class FuzzPacket(byte* frame, int frameBytes, byte* context, int dataAt, int endAt, int? metaAt) : IPacketContext
{
    public bool Moved { get; set; }

    public PacketContextKind Kind => PacketContextKind.Xdp;
    public nint BufferStart => (nint)frame;
    public nint BufferEnd => (nint)(frame + frameBytes);
    public bool SupportsMetadata => metaAt is not null;
    public PacketRedirect? Redirect { get; set; }

    private nint _data, _dataEnd, _dataMeta;

    public nint Data { get => _data; set => Write(dataAt, _data = value); }
    public nint DataEnd { get => _dataEnd; set => Write(endAt, _dataEnd = value); }
    public nint DataMeta { get => metaAt is null ? _data : _dataMeta; set { _dataMeta = value; if (metaAt is { } at) Write(at, value); } }

    /// <summary>A new input: the packet where the run's context says it is.</summary>
    public void Reset(nint data, nint dataEnd, nint dataMeta)
    {
        (_data, _dataEnd, _dataMeta) = (data, dataEnd, dataMeta);
        Moved = false;
    }

    private void Write(int at, nint value)
    {
        Moved = true;
        BinaryPrimitives.WriteUInt32LittleEndian(new Span<byte>(context + at, 4), (uint)value);
    }

    /// <summary>True when <paramref name="address"/> lies in the frame the packet may move within.</summary>
    public bool InFrame(ulong address) => address >= (ulong)frame && address < (ulong)(frame + frameBytes);
}
