using System.Collections;

namespace SharpBpf.Runtime;

/// <summary>Programs or maps of an object, in the object's order, also reachable by name.</summary>
public sealed class NamedCollection<T> : IReadOnlyList<T>
{
    private readonly List<T> _items;
    private readonly Dictionary<string, T> _byName;
    private readonly string _kind;

    internal NamedCollection(IEnumerable<T> items, Func<T, string> name, string kind)
    {
        _items = [.. items];
        _byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in _items)
        {
            _byName.TryAdd(name(item), item);
        }

        _kind = kind;
    }

    /// <summary>The item at <paramref name="index"/>, in the object's order.</summary>
    public T this[int index] => _items[index];

    /// <summary>The item called <paramref name="name"/>; <see cref="KeyNotFoundException"/> lists the names there are.</summary>
    public T this[string name] => _byName.TryGetValue(name, out var item)
        ? item
        : throw new KeyNotFoundException($"no {_kind} named '{name}' (there are: {string.Join(", ", _byName.Keys)})");

    /// <summary>The item called <paramref name="name"/>, when there is one.</summary>
    public bool TryGet(string name, out T item) => _byName.TryGetValue(name, out item!);

    /// <summary>The names of the items.</summary>
    public IEnumerable<string> Names => _byName.Keys;

    /// <summary>How many items there are.</summary>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
