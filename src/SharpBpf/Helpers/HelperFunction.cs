namespace SharpBpf.Helpers;

/// <summary>
/// A helper as the engines call it: r1–r5 in, r0 out, exactly like the kernel's <c>bpf_func_proto</c> calling
/// convention. The context gives the helper checked access to program memory, lets it register memory it hands
/// back to the program, and lets it call back into the program (bpf_loop, timer callbacks).
/// </summary>
/// <remarks>
/// A helper reports an error to the program the kernel's way, by returning <c>-errno</c> as <c>(ulong)(long)-errno</c>.
/// It aborts the run only through <see cref="HelperCallContext.Fault"/> (or a failed memory check), which raises the
/// engine's fault. The engines leave r1–r5 unchanged across a helper call (the kernel leaves them undefined).
/// </remarks>
internal delegate ulong HelperFunction(HelperCallContext context, ulong r1, ulong r2, ulong r3, ulong r4, ulong r5);
