namespace SharpBpf.Timers;

// Element free (R24, R26-R30), user-reference drop (R31), disposal, and the pool of timer objects.
public sealed partial class TimerService
{
    /// <summary>
    /// Frees the timer of the element whose value starts at <paramref name="valueAddress"/>, if it has one: disarms
    /// it, drops the callback and its program reference, and zeroes the slot. No callback of it starts afterwards.
    /// Called by a non-callback thread it also waits for a callback of it still running elsewhere; called from a
    /// callback (its own, R24, or another) it does not wait, and the timer object is retired when that callback
    /// returns, as the kernel defers to a workqueue.
    /// </summary>
    internal void FreeTimerIn(nint valueAddress, ITimerMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        ITimerProgram? released;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var t = Resolve(valueAddress + map.TimerOffset);
            if (t is null)
            {
                return;
            }

            var generation = t.Generation;
            released = Detach(t);
            if (t_running is null)
            {
                while (t.Generation == generation)
                {
                    WaitForCallbacks();
                }
            }
        }

        released?.ReleaseReference();
    }

    /// <summary>
    /// Frees every timer of <paramref name="map"/> (its user references dropped to zero, R31, or the map is being
    /// destroyed, R32). Waits for their running callbacks unless called from a callback.
    /// </summary>
    internal void FreeAllTimers(ITimerMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        List<ITimerProgram>? released = null;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // A scan of the pool, not a per-map list: freeing all timers of a map is rare, and a list linking a
            // million pooled objects costs the garbage collector on every init.
            List<(BpfTimer Timer, uint Generation)>? running = null;
            for (var i = 0; i < _poolUsed; i++)
            {
                var t = _pool[i]!;
                if (!ReferenceEquals(t.Map, map) || t.Detached)
                {
                    continue;
                }

                if (t.Running)
                {
                    (running ??= []).Add((t, t.Generation));
                }

                if (Detach(t) is { } program)
                {
                    (released ??= []).Add(program);
                }
            }

            if (running is not null && t_running is null)
            {
                foreach (var (timer, generation) in running)
                {
                    while (timer.Generation == generation)
                    {
                        WaitForCallbacks();
                    }
                }
            }
        }

        if (released is not null)
        {
            foreach (var program in released)
            {
                program.ReleaseReference();
            }
        }
    }

    /// <summary>
    /// Cancels and forgets every timer, stops the driver thread and waits for running callbacks. It does not write
    /// into map memory (the maps may already be gone); slots keep stale handles that resolve to nothing.
    /// </summary>
    public void Dispose()
    {
        List<ITimerProgram>? released = null;
        RealTimeDriver? driver;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (t_running is not null)
            {
                throw new InvalidOperationException("a timer callback cannot dispose the timer service it runs on");
            }

            _disposed = true;
            foreach (var queue in _queues)
            {
                queue.Clear();
            }

            for (var i = 0; i < _poolUsed; i++)
            {
                var t = _pool[i];
                if (t?.Callback?.Program is { } program)
                {
                    (released ??= []).Add(program);
                }

                if (t is not null)
                {
                    t.Callback = null;
                    t.Armed = false;
                }
            }

            _initializedCount = 0;
            _armedCount = 0;
            driver = _driver;
            _driver = null;
        }

        driver?.Dispose();
        lock (_gate)
        {
            while (AnyRunning())
            {
                WaitForCallbacks();
            }

            _pool = [];
            _poolUsed = 0;
            _freeCount = 0;
            foreach (var queue in _queues)
            {
                queue.Dispose();
            }
        }

        if (_virtualScheduler is not null)
        {
            _virtualClock!.Detach(_virtualScheduler);
        }

        if (released is not null)
        {
            foreach (var program in released)
            {
                program.ReleaseReference();
            }
        }
    }

    private bool AnyRunning()
    {
        for (var i = 0; i < _poolUsed; i++)
        {
            if (_pool[i]?.Running == true)
            {
                return true;
            }
        }

        return false;
    }

    // Under the lock. Returns the program whose reference the caller must release outside the lock.
    private ITimerProgram? Detach(BpfTimer t)
    {
        WriteSlot(t.SlotAddress, 0);

        Disarm(t);
        var program = DropCallback(t);
        _initializedCount--;
        if (t.Running)
        {
            t.Detached = true;
        }
        else
        {
            ReturnToPool(t);
        }

        return program;
    }

    private BpfTimer Allocate()
    {
        if (_freeCount > 0)
        {
            var reused = _pool[_freeIndices[--_freeCount]]!;
            reused.Cancelling = 0;
            return reused;
        }

        if (_poolUsed == _pool.Length)
        {
            Array.Resize(ref _pool, _pool.Length * 2);
        }

        var t = new BpfTimer(_poolUsed);
        _pool[_poolUsed++] = t;
        return t;
    }

    private void ReturnToPool(BpfTimer t)
    {
        t.Generation++;
        if (t.Generation == 0)
        {
            t.Generation = 1;
        }

        t.Map = null;
        t.Callback = null;
        t.SlotAddress = 0;
        t.ValueAddress = 0;
        t.Detached = false;
        if (_freeCount == _freeIndices.Length)
        {
            Array.Resize(ref _freeIndices, _freeIndices.Length * 2);
        }

        _freeIndices[_freeCount++] = t.Index;
    }
}
