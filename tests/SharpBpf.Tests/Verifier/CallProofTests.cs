using SharpBpf.Maps;
using SharpBpf.Verifier;
using static SharpBpf.Tests.Verifier.VerifierHarness;

namespace SharpBpf.Tests.Verifier;

/// <summary>
/// What the verifier records per helper call about r1 (VerificationResult.KnownCallMaps): the object's map r1 held on
/// every visit, and nothing for a site one path reached with another map or with an inner map; and the stack bound.
/// </summary>
public class CallProofTests
{
    private static readonly VerifierMap Values = new("values", MapType.Array, 4, 8, [], MaxEntries: 4);
    private static readonly VerifierMap Others = new("others", MapType.Array, 4, 8, [], MaxEntries: 4);
    private static readonly VerifierMap Outer = new("outer", MapType.ArrayOfMaps, 4, 4, [], InnerMap: Values, MaxEntries: 4);

    /// <summary>A lookup at slot 11 whose r1 is loaded on two paths (a random number decides): map <paramref name="first"/> or map <paramref name="second"/>.</summary>
    private static string TwoPaths(int first, int second) => $"""
        call 7
        mov %r3, %r0
        stw [%r10-4], 0
        mov %r2, %r10
        add %r2, -4
        jeq %r3, 0, +3
        lddw %r1, map_fd {first}
        ja +2
        lddw %r1, map_fd {second}
        call 1
        mov %r0, 0
        exit
        """;

    [Fact]
    public void The_same_map_on_every_path_is_known()
    {
        var result = Verify(TwoPaths(0, 0), [], [Values, Others]);
        Assert.True(result.Accepted, result.Log);
        Assert.Equal("values", result.KnownCallMaps[11]);
    }

    [Fact]
    public void Another_map_on_one_path_makes_the_site_unknown()
    {
        var result = Verify(TwoPaths(0, 1), [], [Values, Others]);
        Assert.True(result.Accepted, result.Log);
        Assert.False(result.KnownCallMaps.ContainsKey(11));
    }

    [Fact]
    public void An_inner_map_is_never_known_and_the_outer_one_is()
    {
        var result = Verify("""
            stw [%r10-4], 0
            mov %r2, %r10
            add %r2, -4
            lddw %r1, map_fd 1
            call 1
            jeq %r0, 0, +4
            mov %r1, %r0
            mov %r2, %r10
            add %r2, -4
            call 1
            mov %r0, 0
            exit
            """, [], [Values, Outer]);
        Assert.True(result.Accepted, result.Log);
        Assert.Equal("outer", result.KnownCallMaps[5]);
        Assert.False(result.KnownCallMaps.ContainsKey(10));
    }
    [Fact]
    public void The_stack_bound_is_the_deepest_access_of_any_function_helper_arguments_included()
    {
        var result = Verify("""
            stdw [%r10-24], 0
            mov %r1, 0
            mov %r2, %r10
            add %r2, -40
            call 7
            stw [%r10-40], 0
            mov %r2, %r10
            add %r2, -40
            lddw %r1, map_fd 0
            call 1
            mov %r0, 0
            exit
            """, [], [Values]);
        Assert.True(result.Accepted, result.Log);
        Assert.Equal(40, result.StackBytesBound);
    }

    [Fact]
    public void A_helper_given_a_value_the_verifier_does_not_model_loses_the_stack_bound()
    {
        var result = Verify("""
            ldxdw %r6, [%r1+8]
            stdw [%r10-8], 0
            mov %r1, %r6
            mov %r2, %r10
            add %r2, -8
            call 1
            mov %r0, 0
            exit
            """, [], [Values], context: ContextLayout.Opaque(16));
        Assert.True(result.Accepted, result.Log);
        Assert.Null(result.StackBytesBound);
    }
}
