using System.Globalization;
using System.Reflection;
using System.Text;
using IL = System.Reflection.Emit;

namespace SharpBpf.Jit;

/// <summary>
/// A thin layer over <see cref="IL.ILGenerator"/> that can also write a readable listing of everything it emits
/// (dotnet-webassembly's habit), so the generated code can be inspected. It does not optimise or check the IL.
/// </summary>
internal sealed class IlEmitter(IL.ILGenerator il, bool keepListing)
{
    private readonly StringBuilder? _listing = keepListing ? new StringBuilder() : null;
    private readonly Dictionary<IL.Label, string> _labelNames = [];
    private readonly Dictionary<IL.LocalBuilder, string> _localNames = [];

    public string? Listing => _listing?.ToString();

    public IL.Label DefineLabel(string name)
    {
        var label = il.DefineLabel();
        if (_listing is not null)
        {
            _labelNames[label] = name;
        }

        return label;
    }

    public IL.LocalBuilder DeclareLocal(Type type, string name)
    {
        var local = il.DeclareLocal(type);
        if (_listing is not null)
        {
            _localNames[local] = name;
        }

        return local;
    }

    public void MarkLabel(IL.Label label)
    {
        il.MarkLabel(label);
        _listing?.Append(_labelNames[label]).Append(":\n");
    }

    public void Comment(string text) => _listing?.Append("  // ").Append(text).Append('\n');

    public void Emit(IL.OpCode op)
    {
        il.Emit(op);
        Line(op, null);
    }

    public void Emit(IL.OpCode op, byte value)
    {
        il.Emit(op, value);
        Line(op, _listing is null ? null : value.ToString(CultureInfo.InvariantCulture));
    }

    public void LoadArgument(int index)
    {
        var op = index switch
        {
            0 => IL.OpCodes.Ldarg_0,
            1 => IL.OpCodes.Ldarg_1,
            2 => IL.OpCodes.Ldarg_2,
            3 => IL.OpCodes.Ldarg_3,
            _ => IL.OpCodes.Ldarg_S,
        };
        if (index <= 3)
        {
            Emit(op);
        }
        else
        {
            Emit(op, checked((byte)index));
        }
    }

    public void Emit(IL.OpCode op, int value)
    {
        il.Emit(op, value);
        Line(op, _listing is null ? null : value.ToString(CultureInfo.InvariantCulture));
    }

    public void Emit(IL.OpCode op, long value)
    {
        il.Emit(op, value);
        Line(op, _listing is null ? null : value.ToString(CultureInfo.InvariantCulture));
    }

    public void Emit(IL.OpCode op, IL.Label label)
    {
        il.Emit(op, label);
        Line(op, _listing is null ? null : _labelNames[label]);
    }

    public void Emit(IL.OpCode op, IL.Label[] labels)
    {
        il.Emit(op, labels);
        Line(op, _listing is null ? null : $"({string.Join(", ", labels.Select(l => _labelNames[l]))})");
    }

    public void Emit(IL.OpCode op, IL.LocalBuilder local)
    {
        il.Emit(op, local);
        Line(op, _listing is null ? null : _localNames[local]);
    }

    public void Emit(IL.OpCode op, MethodInfo method)
    {
        il.Emit(op, method);
        Line(op, _listing is null ? null : $"{method.DeclaringType?.Name}::{method.Name}");
    }

    public void Emit(IL.OpCode op, FieldInfo field)
    {
        il.Emit(op, field);
        Line(op, _listing is null ? null : $"{field.DeclaringType?.Name}::{field.Name}");
    }

    private void Line(IL.OpCode op, string? operand)
    {
        if (_listing is null)
        {
            return;
        }

        _listing.Append("    ").Append(op.Name);
        if (operand is not null)
        {
            _listing.Append(' ').Append(operand);
        }

        _listing.Append('\n');
    }
}
