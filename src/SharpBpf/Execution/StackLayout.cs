using SharpBpf.Helpers;

namespace SharpBpf.Execution;

/// <summary>
/// The program stack, as the kernel sizes it: each frame is 512 bytes (MAX_BPF_STACK), r10 points at the top of
/// the current frame, and one program reaches at most 8 frames (MAX_CALL_FRAMES: its entry plus 7 nested calls or
/// callbacks). All frames of a run sit in one zeroed native block, frame 0 at the top; frame k spans
/// <c>[top - (k+1)*512, top - k*512)</c>, so the live frames of a run form one contiguous range.
/// </summary>
internal static class StackLayout
{
    public const int FrameSize = 512;
    public const int MaxCallFrames = 8;

    /// <summary>
    /// Frames a whole run may need. A tail call made in a subprogram replaces only that subprogram's frame: the
    /// frames below it stay live (Linux returns to the subprogram's caller when the target exits), and the target
    /// may again go 7 frames deeper. With at most 33 tail calls per run the deepest verified run needs
    /// 8 + 33 × 7 frames; Linux bounds the same growth in bytes (its 256-byte rule for subprograms that tail-call).
    /// </summary>
    public const int MaxStackFrames = MaxCallFrames + HelperCallContext.MaxTailCalls * (MaxCallFrames - 1);

    public const int TotalSize = FrameSize * MaxStackFrames;
}
