using System.Diagnostics;
using SharpBpf.Capture;
using SharpBpf.Execution;
using SharpBpf.Loader;
using SharpBpf.Maps;
using SharpBpf.Time;

namespace SharpBpf.Runtime.Replay;

/// <summary>
/// Puts every packet of a capture through an XDP program in file order, with time that follows the capture. On a
/// <see cref="VirtualClock"/> the capture drives the clock: before each packet it advances by the gap since the first
/// packet, firing every timer due by then in deadline order, so an idle flow's timer fires between the same two
/// packets as on the wire (a packet stamped earlier than the one before it does not move time back). On a real
/// clock the packets are paced in real time (scaled by <see cref="ReplayOptions.Speed"/>) while the timer driver
/// fires. A record that cannot be read or a program fault stops the replay; the summary then says why and what was
/// replayed before it.
/// </summary>
public static class CaptureReplay
{
    /// <summary>
    /// A virtual clock for replaying <paramref name="capturePath"/>: CLOCK_MONOTONIC and BOOTTIME start where a new
    /// <see cref="VirtualClock"/> starts them, CLOCK_REALTIME and TAI read the capture's own timestamps.
    /// </summary>
    public static VirtualClock VirtualClockFor(string capturePath)
    {
        using var reader = CaptureReader.Open(capturePath);
        var start = new VirtualClock().Now;
        return reader.Read(out var first) ? new VirtualClock(start, realtimeOffsetNs: first.TimestampNs - start) : new VirtualClock();
    }

    /// <summary>Replays <paramref name="capture"/> through the XDP program <paramref name="programName"/> of <paramref name="obj"/>, on the object's clock.</summary>
    /// <returns>What the replay did; <see cref="ReplaySummary.Error"/> says why it stopped early, if it did.</returns>
    public static ReplaySummary Run(BpfObject obj, string programName, CaptureReader capture, ReplayOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(capture);
        options ??= new ReplayOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Speed);
        var program = obj.Programs[programName];
        if (program.Type != ProgramType.Xdp)
        {
            throw new ArgumentException($"replay runs XDP programs; '{program.Name}' is {program.Spec.TypeName}", nameof(programName));
        }

        return new Replayer(obj, program, capture, options).Run();
    }

    private sealed class Replayer(BpfObject obj, BpfProgram program, CaptureReader capture, ReplayOptions options)
    {
        private readonly VirtualClock? _virtual = obj.VirtualClock;
        private readonly BpfMap[] _sampledMaps = [.. obj.Maps.Where(m => Counts(m.Type))];
        private readonly long[] _verdicts = new long[XdpVerdicts.Names.Count];
        private readonly List<ReplaySample> _samples = [];
        private readonly Stopwatch _elapsed = new();
        private readonly PacketRunner _runner = program.CreatePacketRunner();
        private readonly long _firesBefore = obj.Timers.FireCount;
        private long _packets;
        private long _bytes;
        private long _firstTimestamp;
        private long _captureNs;
        private long _sampleEvery = 1_000_000; // capture time between samples; doubles as the samples fill up
        private long _nextSample;
        private TimeSpan _nextProgress;

        public ReplaySummary Run()
        {
            Exception? error = null;
            _elapsed.Start();
            var startMonotonic = _virtual?.Now ?? 0;
            try
            {
                while (capture.Read(out var packet))
                {
                    options.Cancellation.ThrowIfCancellationRequested();
                    if (packet.LinkType != LinkType.Ethernet)
                    {
                        throw new CaptureFormatException(
                            $"link type {(uint)packet.LinkType} ({packet.LinkType}) of interface {packet.InterfaceIndex} is not Ethernet, which XDP programs take",
                            capture.FileName, packet.Record, packet.Offset);
                    }

                    if (packet.Data.Length < 14)
                    {
                        throw new CaptureFormatException($"a frame of {packet.Data.Length} bytes is shorter than an Ethernet header",
                            capture.FileName, packet.Record, packet.Offset);
                    }

                    if (_packets == 0) _firstTimestamp = packet.TimestampNs;
                    _captureNs = Math.Max(_captureNs, packet.TimestampNs - _firstTimestamp);
                    MoveTimeTo(startMonotonic, _captureNs);
                    Sample(force: _packets == 0);
                    try
                    {
                        RunOne(packet);
                    }
                    catch (ProgramInputException e)
                    {
                        // A frame a test run refuses (longer than the linear frame): the capture's record is at fault.
                        throw new CaptureFormatException(e.Reason, capture.FileName, packet.Record, packet.Offset);
                    }
                    Report(force: false);
                }

                // The drain moves in sampling steps, so what expires after the last packet shows when it does.
                var drainEnd = _captureNs + options.Drain.Ticks * 100;
                while (_captureNs < drainEnd)
                {
                    options.Cancellation.ThrowIfCancellationRequested();
                    _captureNs = Math.Min(drainEnd, _captureNs + _sampleEvery);
                    MoveTimeTo(startMonotonic, _captureNs);
                    Sample(force: false);
                    Report(force: false);
                }
            }
            catch (Exception e) when (e is CaptureFormatException or ProgramFaultException or OperationCanceledException)
            {
                error = e;
            }

            _elapsed.Stop();
            _runner.Dispose();
            Sample(force: true);
            Report(force: true);
            return new ReplaySummary
            {
                Program = program.Name,
                VirtualTime = _virtual is not null,
                Packets = _packets,
                Bytes = _bytes,
                Verdicts = [.. _verdicts],
                TimersFired = obj.Timers.FireCount - _firesBefore,
                TimersArmedAtEnd = obj.Timers.ArmedCount,
                CaptureNs = _captureNs,
                ElapsedNs = _elapsed.Elapsed.Ticks * 100,
                PacketsWritten = options.Output?.PacketsWritten ?? 0,
                SampledMaps = [.. _sampledMaps.Select(m => m.Name)],
                Samples = _samples,
                Error = error,
            };
        }

        private void MoveTimeTo(long startMonotonic, long captureNs)
        {
            if (_virtual is { } clock)
            {
                var target = startMonotonic + captureNs;
                if (target > clock.Now) clock.AdvanceTo(target);
                return;
            }

            // Real time: wait until the capture's gap (scaled) has passed since the replay began.
            // A timed wait may end up to a millisecond early; the last stretch yields until the packet's time.
            var due = TimeSpan.FromTicks((long)(captureNs / options.Speed / 100));
            for (var wait = due - _elapsed.Elapsed; wait > TimeSpan.Zero; wait = due - _elapsed.Elapsed)
            {
                options.Cancellation.ThrowIfCancellationRequested();
                if (wait > TimeSpan.FromMilliseconds(2))
                {
                    options.Cancellation.WaitHandle.WaitOne(wait - TimeSpan.FromMilliseconds(1));
                }
                else
                {
                    Thread.Yield();
                }
            }
        }

        private void RunOne(in CapturedPacket packet)
        {
            var verdict = XdpVerdicts.Classify(_runner.Run(packet.Data.Span));
            _verdicts[verdict]++;
            _packets++;
            _bytes += packet.Data.Length;
            if (options.Output is { } output && verdict is XdpVerdicts.Pass or XdpVerdicts.Tx)
            {
                // A capture cut at its snap length keeps saying how long the packet really was.
                var missing = packet.OriginalLength - packet.Data.Length;
                output.Write(packet.TimestampNs, _runner.DataOut, _runner.DataOut.Length + Math.Max(missing, 0));
            }
        }

        private void Sample(bool force)
        {
            if (!force && _captureNs < _nextSample) return;
            _samples.Add(new ReplaySample(_captureNs, _packets, [.. _verdicts], obj.Timers.FireCount - _firesBefore,
                obj.Timers.ArmedCount, [.. _sampledMaps.Select(m => m.Count)]));
            if (_samples.Count >= options.MaxSamples)
            {
                // Keep every other sample and sample half as often: memory stays bounded however long the capture.
                var kept = new List<ReplaySample>(_samples.Count / 2 + 1);
                for (var i = 0; i < _samples.Count; i += 2) kept.Add(_samples[i]);
                _samples.Clear();
                _samples.AddRange(kept);
                _sampleEvery *= 2;
            }

            _nextSample = _captureNs + _sampleEvery;
        }

        private void Report(bool force)
        {
            if (options.Progress is not { } progress) return;
            // In virtual time reading the clock costs more than a short program's run: look at it every 256 packets.
            if (!force && ((_virtual is not null && (_packets & 255) != 0) || _elapsed.Elapsed < _nextProgress)) return;
            _nextProgress = _elapsed.Elapsed + options.ProgressInterval;
            progress(new ReplayProgress(_packets, _bytes, capture.Position, [.. _verdicts], obj.Timers.FireCount - _firesBefore,
                obj.Timers.ArmedCount, _sampledMaps.ToDictionary(m => m.Name, m => m.Count), _elapsed.Elapsed));
        }

        /// <summary>Maps whose entry count says something over time: those that hold a varying set of keys.</summary>
        private static bool Counts(MapType type) => type is MapType.Hash or MapType.PercpuHash or MapType.LruHash
            or MapType.LruPercpuHash or MapType.LpmTrie or MapType.HashOfMaps or MapType.Queue or MapType.Stack;
    }
}
