using System.Collections;

namespace SharpBpf.Kernel;

/// <summary>Programs or maps of a <see cref="KernelObject"/> in object order, also reachable by name.</summary>
internal sealed class KernelNamedCollection<T> : IReadOnlyList<T> where T : class
{
    private readonly T[] _items;
    private readonly Dictionary<string, T> _byName;
    private readonly string _kind;

    internal KernelNamedCollection(IEnumerable<T> items, Func<T, string> nameOf, string kind)
    {
        _items = items.ToArray();
        _byName = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in _items) _byName.TryAdd(nameOf(item), item);
        _kind = kind;
    }

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    /// <summary>The item with that name; <see cref="KeyNotFoundException"/> lists the names that exist.</summary>
    public T this[string name] => _byName.TryGetValue(name, out var item)
        ? item
        : throw new KeyNotFoundException(
            $"no {_kind} named '{name}' (the object has: {(Names.Count == 0 ? "none" : string.Join(", ", Names))})");

    public IReadOnlyList<string> Names => _byName.Keys.ToArray();

    public bool Contains(string name) => _byName.ContainsKey(name);

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? item) =>
        _byName.TryGetValue(name, out item);

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
