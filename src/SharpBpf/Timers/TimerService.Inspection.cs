namespace SharpBpf.Timers;

// What --show-timers lists.
public sealed partial class TimerService
{
    /// <summary>
    /// A snapshot of the initialized timers (only the armed ones when <paramref name="armedOnly"/>), ordered by
    /// map name, then clock, then expiry.
    /// </summary>
    public IReadOnlyList<TimerInfo> GetTimers(bool armedOnly = true)
    {
        var result = new List<TimerInfo>();
        lock (_gate)
        {
            if (_disposed)
            {
                return result;
            }

            for (var i = 0; i < _poolUsed; i++)
            {
                var t = _pool[i]!;
                if (t.Map is not { } map || t.Detached || (armedOnly && !t.Armed))
                {
                    continue;
                }

                result.Add(new TimerInfo(map, CopyKey(map, t.ValueAddress), t.ValueAddress, t.Clock, t.Armed,
                    t.Armed && t.Deadline != BpfTimer.NeverFires ? t.Deadline : null, t.Callback?.Name, t.Running));
            }
        }

        result.Sort(static (a, b) =>
        {
            var byMap = string.CompareOrdinal(a.MapName, b.MapName);
            if (byMap != 0) return byMap;
            var byClock = a.Clock.CompareTo(b.Clock);
            return byClock != 0 ? byClock : (a.Expiry ?? long.MaxValue).CompareTo(b.Expiry ?? long.MaxValue);
        });
        return result;
    }

    // Safe under the lock: an element's memory is freed only after FreeTimerIn, which takes the lock.
    private static unsafe byte[] CopyKey(ITimerMap map, nint value)
    {
        var key = map.GetCallbackKey(value);
        return key == 0 || map.KeySize <= 0 ? [] : new ReadOnlySpan<byte>((void*)key, map.KeySize).ToArray();
    }
}
