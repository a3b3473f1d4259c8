using System.Diagnostics.CodeAnalysis;

namespace SharpBpf.Helpers;

/// <summary>
/// The helpers a program may call, by id. Built-in helpers (maps, time, timers) and host applications register
/// here; engines take a snapshot when they prepare a program, so registering later does not affect prepared programs.
/// Helpers registered with a <see cref="HelperSignature"/> can be verified; built-ins come from
/// <see cref="BuiltIn.BuiltInHelpers.CreateRegistry"/>.
/// </summary>
internal sealed class HelperRegistry
{
    private readonly Dictionary<int, HelperDescriptor> _byId = [];
    private readonly Lock _gate = new();

    /// <summary>Registers a helper; throws <see cref="ArgumentException"/> when the id is taken.</summary>
    public HelperRegistry Register(int id, string name, HelperFunction function, HelperSignature? signature = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(function);
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var existing))
            {
                throw new ArgumentException($"helper id {id} is already registered as '{existing.Name}'", nameof(id));
            }

            _byId[id] = new HelperDescriptor(id, name, function, signature);
        }

        return this;
    }

    /// <summary>Registers a helper under its kernel id and name (<c>map_lookup_elem</c> for <see cref="HelperId.MapLookupElem"/>).</summary>
    public HelperRegistry Register(HelperId id, HelperSignature signature, HelperFunction function)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return Register((int)id, HelperNames.Of(id), function, signature);
    }

    /// <summary>Registers or replaces a helper (for hosts that override a built-in).</summary>
    public HelperRegistry Replace(int id, string name, HelperFunction function, HelperSignature? signature = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(function);
        lock (_gate)
        {
            _byId[id] = new HelperDescriptor(id, name, function, signature);
        }

        return this;
    }

    public bool TryGet(int id, [NotNullWhen(true)] out HelperDescriptor? helper)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out helper);
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>A copy of every registration, ordered by id.</summary>
    public IReadOnlyList<HelperDescriptor> Snapshot()
    {
        lock (_gate)
        {
            return [.. _byId.Values.OrderBy(h => h.Id)];
        }
    }
}
