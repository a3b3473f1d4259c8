using CsCheck;
using SharpBpf.Maps;
using static SharpBpf.Tests.Maps.MapTestKit;

namespace SharpBpf.Tests.Maps;

/// <summary>HASH and ARRAY against a Dictionary/array model over random operation sequences, through both API layers.</summary>
public class ModelTests
{
    private const int Capacity = 8;

    private readonly record struct Operation(int Kind, uint Key, ulong Value, ulong Flags, bool FromProgram)
    {
        public override string ToString() => $"{"UDLN"[Kind]}({Key},{Value},{Flags},{(FromProgram ? "prog" : "host")})";
    }

    private static readonly Gen<Operation> OperationGen =
        Gen.Select(Gen.Int[0, 3], Gen.UInt[0, 11], Gen.ULong, Gen.ULong[0, 3], Gen.Bool,
            (kind, key, value, flags, program) => new Operation(kind, key, value, flags, program));

    [Fact]
    public void Hash_matches_a_dictionary()
    {
        OperationGen.Array[1, 60].Sample(operations =>
        {
            using var map = Create(MapType.Hash, 4, 8, Capacity);
            var model = new Dictionary<uint, ulong>();
            foreach (var op in operations)
            {
                var actual = Apply(map, op, out var looked);
                long expected;
                switch (op.Kind)
                {
                    case 0:
                        var exists = model.ContainsKey(op.Key);
                        expected = op.Flags > 2 ? -22
                            : exists && op.Flags == 1 ? -17
                            : !exists && op.Flags == 2 ? -2
                            : !exists && model.Count >= Capacity ? -7
                            : 0;
                        if (expected == 0) model[op.Key] = op.Value;
                        break;
                    case 1:
                        expected = model.Remove(op.Key) ? 0 : -2;
                        break;
                    case 2:
                        expected = model.TryGetValue(op.Key, out var value) ? 0 : -2;
                        if (expected == 0) Assert.Equal(value, looked);
                        break;
                    default:
                        expected = 0;
                        break;
                }
                Assert.Equal(expected, actual);
                Assert.Equal(model.Count, map.Count);
                Assert.Equal(model.Keys.Order(), map.Keys().Select(k => BitConverter.ToUInt32(k)).Order());
            }
        }, iter: 300);
    }

    [Fact]
    public void Array_matches_an_array()
    {
        OperationGen.Array[1, 60].Sample(operations =>
        {
            using var map = Create(MapType.Array, 4, 8, Capacity);
            var model = new ulong[Capacity];
            foreach (var op in operations)
            {
                var actual = Apply(map, op, out var looked);
                long expected;
                switch (op.Kind)
                {
                    case 0:
                        expected = op.Flags > 2 ? -22 : op.Key >= Capacity ? -7 : op.Flags == 1 ? -17 : 0;
                        if (expected == 0) model[op.Key] = op.Value;
                        break;
                    case 1:
                        expected = -22;
                        break;
                    case 2:
                        expected = op.Key < Capacity ? 0 : -2;
                        if (expected == 0) Assert.Equal(model[op.Key], looked);
                        break;
                    default:
                        expected = 0;
                        break;
                }
                Assert.Equal(expected, actual);
            }
        }, iter: 300);
    }

    /// <summary>Kind 0 update, 1 delete, 2 lookup, 3 get_next_key from this key (checked to be a member or ENOENT at the end).</summary>
    private static long Apply(BpfMap map, Operation op, out ulong looked)
    {
        looked = 0;
        var key = U32(op.Key);
        switch (op.Kind)
        {
            case 0:
                return op.FromProgram
                    ? ProgramUpdate(map, key, U64(op.Value), op.Flags)
                    : map.Update(key, U64(op.Value), (MapUpdateFlags)op.Flags).ToHelperResult();
            case 1:
                return op.FromProgram ? ProgramDelete(map, key) : map.Delete(key).ToHelperResult();
            case 2:
                var value = op.FromProgram ? ProgramLookup(map, key) : HostLookup(map, key);
                if (value is null) return -2;
                looked = ReadU64(value);
                return 0;
            default:
                var next = new byte[4];
                var result = map.GetNextKey(key, next);
                var keys = map.Keys();
                if (result == Errno.None) Assert.Contains(next, keys);
                else Assert.Equal(Errno.ENOENT, result);
                return 0;
        }
    }
}
