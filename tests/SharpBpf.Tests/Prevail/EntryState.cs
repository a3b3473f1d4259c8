using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace SharpBpf.Tests.Prevail;

/// <summary>
/// A PREVAIL <c>pre</c> read as the facts a Linux prologue can establish exactly, and that prologue. Unknown
/// numbers are 8-byte reads of stack bytes the case leaves undefined: a privileged load reads uninitialised stack
/// as an unknown number (the kernel's allow_uninit_stack), so stack bytes that <c>pre</c> only calls numbers need
/// no store either.
/// </summary>
internal sealed partial class EntryState
{
    private const int StackSize = 512;
    private const string Dead = "prevail_dead";

    private readonly Dictionary<int, RegisterFacts> _registers = [];
    private readonly SortedDictionary<int, BigInteger> _stackConstants = [];
    private BigInteger? _packetSize;

    private sealed class RegisterFacts
    {
        public string? Type;
        public Interval? Signed;
        public Interval? Unsigned;
        public bool SameSignedAndUnsigned;
        public long? Offset;
        public bool IsPacketEnd;
    }

    private readonly record struct Interval(BigInteger? Low, BigInteger? High)
    {
        public BigInteger? Constant => Low is { } low && High == low ? low : null;
    }

    public bool Defines(int register) => _registers.ContainsKey(register);

    public bool UsesContext => _registers.Values.Any(r => r.Type == "ctx");

    public bool UsesPacket => _registers.Values.Any(r => r.Type == "packet");

    /// <summary>Registers Linux defines at entry that this state leaves undefined (r1 holds the context, r10 the frame).</summary>
    public IEnumerable<int> LinuxDefinedOnly => new[] { 1, 10 }.Where(r => !Defines(r));

    public static EntryState Parse(IEnumerable<string> constraints)
    {
        var state = new EntryState();
        foreach (var constraint in constraints.Select(c => c.Replace(" ", "", StringComparison.Ordinal)))
        {
            state.Add(constraint);
        }

        state.Check();
        return state;
    }

    private void Add(string constraint)
    {
        Match m;
        if ((m = RegisterConstraint().Match(constraint)).Success)
        {
            var register = int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
            var facts = _registers.TryGetValue(register, out var known) ? known : _registers[register] = new RegisterFacts();
            var value = m.Groups["value"].Value;
            switch (m.Groups["field"].Value)
            {
                case "type":
                    facts.Type = value;
                    break;
                case "svalue" when value == $"r{register}.uvalue":
                case "uvalue" when value == $"r{register}.svalue":
                    facts.SameSignedAndUnsigned = true;
                    break;
                case "svalue":
                    facts.Signed = ParseInterval(value, constraint);
                    break;
                case "uvalue":
                    facts.Unsigned = ParseInterval(value, constraint);
                    break;
                case "ctx_offset" or "stack_offset" or "packet_offset" when value == "packet_size" && m.Groups["field"].Value == "packet_offset":
                    facts.IsPacketEnd = true;
                    break;
                case "ctx_offset" or "stack_offset" or "packet_offset":
                    facts.Offset = (long)(ParseInterval(value, constraint).Constant
                        ?? throw new NotLinuxException($"pointer offset that is not a constant ({constraint})"));
                    break;
                case "map_fd" when value == "1":
                case "stack_numeric_size":
                    break;
                default:
                    throw new NotLinuxException($"{m.Groups["field"].Value} in pre ({constraint})");
            }

            return;
        }

        if ((m = StackConstraint().Match(constraint)).Success)
        {
            var first = int.Parse(m.Groups["first"].Value, CultureInfo.InvariantCulture);
            var last = m.Groups["last"].Success ? int.Parse(m.Groups["last"].Value, CultureInfo.InvariantCulture) : first;
            var value = m.Groups["value"].Value;
            switch (m.Groups["field"].Value)
            {
                case "type" when value == "number":
                    return;
                case "svalue" or "uvalue" when first % 8 == 0 && last == first + 7
                                                && ParseInterval(value, constraint).Constant is { } constant
                                                && (constant >= int.MinValue && constant <= int.MaxValue
                                                    || constant >= ulong.MaxValue - (ulong)int.MaxValue):
                    _stackConstants[first] = constant;
                    return;
                default:
                    throw new NotLinuxException($"stack content Linux cannot be given exactly ({constraint})");
            }
        }

        if ((m = GlobalConstraint().Match(constraint)).Success)
        {
            var value = ParseInterval(m.Groups["value"].Value, constraint).Constant
                ?? throw new NotLinuxException($"{m.Groups["name"].Value} that is not a constant");
            if (m.Groups["name"].Value == "packet_size") _packetSize = value;
            else if (value != 0) throw new NotLinuxException("meta_offset other than 0 (a data_meta area)");
            return;
        }

        if (constraint.Contains(".typein{", StringComparison.Ordinal)) throw new NotLinuxException("register of several possible types in pre");
        throw new NotLinuxException($"relational pre ({constraint})");
    }

    private static Interval ParseInterval(string text, string constraint)
    {
        if (text.StartsWith('[') && text.EndsWith(']'))
        {
            var bounds = text[1..^1].Split(',');
            return new Interval(Bound(bounds[0], constraint), Bound(bounds[1], constraint));
        }

        var value = Bound(text, constraint);
        return new Interval(value, value);
    }

    private static BigInteger? Bound(string text, string constraint) => text switch
    {
        "-oo" or "+oo" => null,
        _ when IntegerText().IsMatch(text) => PrevailTranslator.ParseInteger(text),
        _ => throw new NotLinuxException($"relational pre ({constraint})"),
    };

    private void Check()
    {
        foreach (var (register, facts) in _registers)
        {
            switch (facts.Type)
            {
                case "number":
                    var nonNegative = facts.Signed is { Low: { } low } && low >= 0 && facts.Signed.Value.High is { } high && high <= long.MaxValue;
                    if (facts.SameSignedAndUnsigned && !nonNegative)
                    {
                        throw new NotLinuxException($"relational pre (r{register}.uvalue=r{register}.svalue over negative values)");
                    }

                    break;
                case "ctx" when (facts.Offset ?? 0) == 0 && register != 10:
                case "stack" when facts.Offset is not null && (register != 10 || facts.Offset == StackSize):
                case "packet" when (facts.Offset is not null || facts.IsPacketEnd) && register != 10:
                case "map_fd" when register != 10:
                    break;
                case "stack":
                    throw new NotLinuxException($"r10 at stack offset {facts.Offset} (Linux's frame is 512 bytes)");
                case "shared":
                    throw new NotLinuxException("map value pointer in pre");
                case null:
                    throw new NotLinuxException($"r{register} without a type in pre");
                default:
                    throw new NotLinuxException($"{facts.Type} pointer in pre");
            }
        }
    }

    /// <summary>The instructions that build this state from Linux's entry state, using <paramref name="free"/> as scratch.</summary>
    public string Prologue(IEnumerable<int> free)
    {
        var scratch = new Queue<int>(free);
        int Scratch() => scratch.Count > 0 ? scratch.Dequeue() : throw new NotLinuxException("no register left for the prologue");
        var text = new StringBuilder();
        void Emit(string line) => text.Append(line).Append('\n');

        foreach (var (register, _) in _registers.Where(r => r.Value.Type == "ctx" && r.Key != 1))
        {
            Emit($"mov %r{register}, %r1");
        }

        if (UsesPacket)
        {
            var (data, end) = (Scratch(), Scratch());
            Emit($"ldxw %r{data}, [%r1+0]");
            Emit($"ldxw %r{end}, [%r1+4]");
            if (_packetSize is { } size && size > 0)
            {
                var bound = Scratch();
                Emit($"mov %r{bound}, %r{data}");
                Emit($"add %r{bound}, {size}");
                Emit($"jgt %r{bound}, %r{end}, {Dead}");
            }

            foreach (var (register, facts) in _registers.Where(r => r.Value.Type == "packet"))
            {
                Emit($"mov %r{register}, %r{(facts.IsPacketEnd ? end : data)}");
                if (!facts.IsPacketEnd && facts.Offset != 0) Emit($"add %r{register}, {facts.Offset}");
            }
        }

        foreach (var (offset, value) in _stackConstants)
        {
            Emit($"stdw [%r10{offset - StackSize}], {(long)(value > long.MaxValue ? value - (BigInteger.One << 64) : value)}");
        }

        var unknownSlot = Enumerable.Range(0, StackSize / 8).Select(s => s * 8).First(s => !_stackConstants.ContainsKey(s)) - StackSize;
        foreach (var (register, facts) in _registers.OrderBy(r => r.Key == 1 ? 1 : 0).ThenBy(r => r.Key))
        {
            switch (facts.Type)
            {
                case "stack" when register != 10:
                    Emit($"mov %r{register}, %r10");
                    if (facts.Offset != StackSize) Emit($"add %r{register}, {facts.Offset - StackSize}");
                    break;
                case "map_fd":
                    Emit($"lddw %r{register}, map_fd 0");
                    break;
                case "number":
                    Number(register, facts, unknownSlot, Emit, Scratch);
                    break;
            }
        }

        return text.ToString();
    }

    private static void Number(int register, RegisterFacts facts, int unknownSlot, Action<string> emit, Func<int> scratch)
    {
        var signed = facts.Signed?.Constant;
        var unsigned = facts.Unsigned?.Constant;
        if (signed is not null && unsigned is not null && (signed.Value & ulong.MaxValue) != unsigned.Value)
        {
            throw new NotLinuxException($"r{register} with different signed and unsigned constants");
        }

        if ((signed ?? unsigned) is { } constant)
        {
            var pattern = (ulong)(constant & ulong.MaxValue);
            emit((long)pattern >= int.MinValue && (long)pattern <= int.MaxValue
                ? $"mov %r{register}, {(long)pattern}"
                : $"lddw %r{register}, {pattern}");
            return;
        }

        emit($"ldxdw %r{register}, [%r10{unknownSlot}]");
        if (facts.Signed is { } s)
        {
            if (s.Low is { } low && low > long.MinValue) Compare("jslt", register, low, emit, scratch);
            if (s.High is { } high && high < long.MaxValue) Compare("jsgt", register, high, emit, scratch);
        }

        if (facts.Unsigned is { } u)
        {
            if (u.Low is { } low && low > 0) Compare("jlt", register, low, emit, scratch);
            if (u.High is { } high && high < ulong.MaxValue) Compare("jgt", register, high, emit, scratch);
        }
    }

    /// <summary>Leaves the case on values beyond a bound: an immediate where the bound is one, else a scratch register.</summary>
    private static void Compare(string jump, int register, BigInteger bound, Action<string> emit, Func<int> scratch)
    {
        var pattern = (long)(ulong)(bound & ulong.MaxValue);
        if (pattern >= int.MinValue && pattern <= int.MaxValue)
        {
            emit($"{jump} %r{register}, {pattern}, {Dead}");
            return;
        }

        var temporary = scratch();
        emit($"lddw %r{temporary}, {(ulong)pattern}");
        emit($"{jump} %r{register}, %r{temporary}, {Dead}");
    }

    [GeneratedRegex(@"^r(?<n>\d+)\.(?<field>\w+)=(?<value>.+)$")]
    private static partial Regex RegisterConstraint();

    [GeneratedRegex(@"^s\[(?<first>\d+)(\.\.\.(?<last>\d+))?\]\.(?<field>\w+)=(?<value>.+)$")]
    private static partial Regex StackConstraint();

    [GeneratedRegex(@"^(?<name>packet_size|meta_offset)=(?<value>.+)$")]
    private static partial Regex GlobalConstraint();

    [GeneratedRegex(@"^-?(0x[0-9a-fA-F]+|\d+)$")]
    private static partial Regex IntegerText();
}
