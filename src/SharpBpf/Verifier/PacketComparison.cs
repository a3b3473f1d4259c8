using SharpBpf.Isa;

namespace SharpBpf.Verifier;

/// <summary>
/// What a 64-bit comparison between a packet pointer and <c>data_end</c> (or a meta pointer and <c>data</c>) proves, as
/// the kernel's try_match_pkt_pointers, find_good_pkt_pointers, mark_pkt_end and is_pkt_ptr_branch_taken decide it.
/// Knowing <c>p + off &lt;= end</c> makes <c>off</c> bytes readable from every pointer of p's kind and id;
/// <c>p + off &lt; end</c> makes <c>off + 1</c> readable. Equality tests, signed and 32-bit comparisons prove nothing.
/// </summary>
internal static class PacketComparison
{
    /// <summary>The kernel's MAX_PACKET_OFF: a pointer that may lie further than this proves nothing by its comparison.</summary>
    private const ulong MaxPacketOffset = 0xffff;

    /// <summary>Whether the outcome is already known because the pointer was found at or past the end before.</summary>
    public static bool? KnownOutcome(JumpOperation op, RegisterValue left, RegisterValue right)
    {
        RegisterValue packet;
        if (right.Kind == ValueKind.PacketEnd)
        {
            packet = left;
        }
        else if (left.Kind == ValueKind.PacketEnd)
        {
            packet = right;
            op = Flip(op);
        }
        else
        {
            return null;
        }

        if (packet.PacketRange >= 0)
        {
            return null;
        }

        return op switch
        {
            JumpOperation.Jgt or JumpOperation.Jle when packet.PacketRange == RegisterValue.BeyondPacketEnd => op == JumpOperation.Jgt,
            JumpOperation.Jge or JumpOperation.Jlt => op == JumpOperation.Jge,
            _ => null,
        };
    }

    /// <summary>Refines both sides of <c>left op right</c>; false when the operands are not a packet bound check.</summary>
    public static bool Learn(JumpOperation op, int leftRegister, int rightRegister, RegisterValue left, RegisterValue right,
        VerifierState taken, VerifierState fall)
    {
        int checkedRegister;
        RegisterValue pointer;
        if (IsBoundPair(left, right))
        {
            (checkedRegister, pointer) = (leftRegister, left);
        }
        else if (IsBoundPair(right, left))
        {
            (checkedRegister, pointer) = (rightRegister, right);
            op = Flip(op);
        }
        else
        {
            return false;
        }

        // Now "pointer op bound": the side where pointer <= bound proves off bytes, pointer < bound off + 1.
        switch (op)
        {
            case JumpOperation.Jgt:
                Prove(fall, pointer, rightOpen: false);
                MarkAtOrBeyondEnd(taken, checkedRegister, beyond: true);
                break;
            case JumpOperation.Jge:
                Prove(fall, pointer, rightOpen: true);
                MarkAtOrBeyondEnd(taken, checkedRegister, beyond: false);
                break;
            case JumpOperation.Jlt:
                Prove(taken, pointer, rightOpen: true);
                MarkAtOrBeyondEnd(fall, checkedRegister, beyond: false);
                break;
            case JumpOperation.Jle:
                Prove(taken, pointer, rightOpen: false);
                MarkAtOrBeyondEnd(fall, checkedRegister, beyond: true);
                break;
            default:
                return false;
        }

        return true;
    }

    /// <summary>pkt vs pkt_end, or pkt_meta vs the unmoved data pointer.</summary>
    private static bool IsBoundPair(RegisterValue pointer, RegisterValue bound) =>
        (pointer.Kind == ValueKind.Packet && bound.Kind == ValueKind.PacketEnd)
        || (pointer.Kind == ValueKind.PacketMeta && bound.Kind == ValueKind.Packet && bound.Offset == 0 && bound.Range == ScalarRange.Zero);

    private static void Prove(VerifierState state, RegisterValue pointer, bool rightOpen)
    {
        if (pointer.Offset < 0 || (pointer.Offset == 0 && rightOpen))
        {
            return;
        }

        if (pointer.Range.UMax > MaxPacketOffset || pointer.Range.UMax + (ulong)pointer.Offset > MaxPacketOffset)
        {
            return;
        }

        int proven = (int)pointer.Offset + (rightOpen ? 1 : 0);
        state.Update(value => value.Kind == pointer.Kind && value.Id == pointer.Id && value.PacketRange < proven
            ? value with { PacketRange = proven }
            : value);
    }

    private static void MarkAtOrBeyondEnd(VerifierState state, int register, bool beyond)
    {
        var value = state.Registers[register];
        if (value.Kind == ValueKind.Packet)
        {
            state.Registers[register] = value with { PacketRange = beyond ? RegisterValue.BeyondPacketEnd : RegisterValue.AtPacketEnd };
        }
    }

    /// <summary>The same comparison with its operands swapped.</summary>
    private static JumpOperation Flip(JumpOperation op) => op switch
    {
        JumpOperation.Jgt => JumpOperation.Jlt,
        JumpOperation.Jge => JumpOperation.Jle,
        JumpOperation.Jlt => JumpOperation.Jgt,
        JumpOperation.Jle => JumpOperation.Jge,
        _ => op,
    };
}
