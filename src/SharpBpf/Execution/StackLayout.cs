namespace SharpBpf.Execution;

/// <summary>
/// The program stack, as the kernel sizes it: each frame is 512 bytes (MAX_BPF_STACK), r10 points at the top of
/// the current frame, and a run has at most 8 frames (MAX_CALL_FRAMES: main program plus 7 nested calls or callbacks).
/// All frames of a run sit in one zeroed native block, frame 0 at the top; frame k spans
/// <c>[top - (k+1)*512, top - k*512)</c>, so the live frames of a run form one contiguous range.
/// </summary>
public static class StackLayout
{
    public const int FrameSize = 512;
    public const int MaxCallFrames = 8;
    public const int TotalSize = FrameSize * MaxCallFrames;
}
