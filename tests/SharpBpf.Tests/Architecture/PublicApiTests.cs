using System.Reflection;
using SharpBpf.Runtime;

namespace SharpBpf.Tests.Architecture;

/// <summary>
/// The library's public surface is a designed one (docs/api.md): every public type is on an approved list, so a new
/// one is a decision made in review (add it to PublicApi.approved.txt and to docs/api.md), not an accident of a
/// forgotten <c>internal</c>. And no public signature hands out host memory as a raw address.
/// </summary>
public class PublicApiTests
{
    private static readonly Assembly Library = typeof(BpfObject).Assembly;

    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    [Fact]
    public void Public_types_are_the_approved_ones()
    {
        var approvedFile = Path.Combine(DependencyRulesTests.RepositoryRoot(), "tests", "SharpBpf.Tests", "Architecture", "PublicApi.approved.txt");
        var approved = File.ReadAllLines(approvedFile).Where(line => line.Length > 0).ToHashSet(StringComparer.Ordinal);
        var actual = Library.GetExportedTypes().Select(t => t.FullName!).ToHashSet(StringComparer.Ordinal);

        var added = actual.Except(approved).Order(StringComparer.Ordinal).ToArray();
        var removed = approved.Except(actual).Order(StringComparer.Ordinal).ToArray();
        Assert.True(added.Length == 0 && removed.Length == 0,
            $"public types differ from {approvedFile} (a public type is a design decision: update the list and docs/api.md)\n" +
            $"newly public: {string.Join(", ", added)}\nno longer public: {string.Join(", ", removed)}");
    }

    [Fact]
    public void No_public_signature_exposes_a_pointer()
    {
        var offenders = new List<string>();
        foreach (var type in Library.GetExportedTypes())
        {
            foreach (var member in type.GetMembers(Declared))
            {
                if (!IsVisible(member) || IsDelegatePlumbing(type, member)) continue;
                if (SignatureTypes(member).Any(IsPointerLike)) offenders.Add($"{type.FullName}.{member}");
            }
        }

        Assert.True(offenders.Count == 0, "public members with pointer types:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_pointer_check_sees_pointers()
    {
        // The check above must fail on what it is meant to catch.
        Assert.True(IsPointerLike(typeof(nint)));
        Assert.True(IsPointerLike(typeof(byte*)));
        Assert.True(IsPointerLike(typeof(nuint[])));
        Assert.True(IsPointerLike(typeof(nint).MakeByRefType()));
        Assert.False(IsPointerLike(typeof(ReadOnlySpan<byte>)));
        var hidden = typeof(SharpBpf.Maps.BpfMap).GetMethod("LookupElem", Declared)!;
        Assert.False(IsVisible(hidden));
        Assert.Contains(SignatureTypes(hidden), IsPointerLike);
    }

    /// <summary>Visible outside the assembly: public, or protected on a type that can be derived from outside.</summary>
    private static bool IsVisible(MemberInfo member) => member switch
    {
        MethodBase method => method.IsPublic || ((method.IsFamily || method.IsFamilyOrAssembly) && CanDeriveOutside(method.DeclaringType!)),
        FieldInfo field => field.IsPublic || ((field.IsFamily || field.IsFamilyOrAssembly) && CanDeriveOutside(field.DeclaringType!)),
        PropertyInfo property => property.GetAccessors(nonPublic: true).Any(IsVisible),
        EventInfo @event => @event.AddMethod is { } add && IsVisible(add),
        Type nested => nested.IsNestedPublic,
        _ => false,
    };

    private static bool CanDeriveOutside(Type type) =>
        !type.IsSealed && type.GetConstructors(Declared).Any(c => c.IsPublic || c.IsFamily || c.IsFamilyOrAssembly);

    // A delegate's constructor takes (object, IntPtr) by the runtime's design; no caller writes it.
    private static bool IsDelegatePlumbing(Type type, MemberInfo member) =>
        typeof(Delegate).IsAssignableFrom(type) && member is ConstructorInfo;

    private static IEnumerable<Type> SignatureTypes(MemberInfo member) => member switch
    {
        MethodInfo method => method.GetParameters().Select(p => p.ParameterType).Append(method.ReturnType),
        ConstructorInfo constructor => constructor.GetParameters().Select(p => p.ParameterType),
        PropertyInfo property => property.GetIndexParameters().Select(p => p.ParameterType).Append(property.PropertyType),
        FieldInfo field => [field.FieldType],
        EventInfo @event => [@event.EventHandlerType!],
        _ => [],
    };

    private static bool IsPointerLike(Type type)
    {
        while (type.HasElementType) // arrays, by-refs and pointers
        {
            if (type.IsPointer) return true;
            type = type.GetElementType()!;
        }

        if (type.IsGenericType && type.GetGenericArguments().Any(IsPointerLike)) return true;
        return type.IsPointer || type.IsFunctionPointer || type == typeof(nint) || type == typeof(nuint);
    }
}
