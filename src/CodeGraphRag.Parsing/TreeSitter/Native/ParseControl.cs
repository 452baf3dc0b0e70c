using System.Runtime.InteropServices;

namespace CodeGraphRag.Parsing.TreeSitter.Native;

/// <summary>
/// Parses a pinned UTF-8 buffer through <c>cgr_parse</c> (native/cgr_native.c), which stops at a deadline or when the
/// caller's token is cancelled (error recovery on pathological input can take seconds). Both are checked natively every
/// hundred parser operations: the token sets a flag in native memory, so the parser never calls back into managed code.
/// </summary>
internal static unsafe class ParseControl
{
    /// <summary>Parses; returns the tree, or 0 when the deadline passed or the token was cancelled.</summary>
    public static nint Parse(nint parser, byte* text, int length, TimeSpan budget, CancellationToken cancellationToken)
    {
        var budgetNanoseconds = budget >= TimeSpan.FromDays(1) ? ulong.MaxValue / 2 : (ulong)budget.Ticks * 100;
        if (!cancellationToken.CanBeCanceled)
        {
            return TsNative.cgr_parse(parser, text, (uint)length, budgetNanoseconds, null);
        }

        var flag = (int*)NativeMemory.AllocZeroed(sizeof(int));
        try
        {
            // CGR: disposing the registration waits for a callback that is running, so the flag outlives every write.
            using (cancellationToken.UnsafeRegister(static state => Volatile.Write(ref *(int*)(nint)state!, 1), (nint)flag))
            {
                return TsNative.cgr_parse(parser, text, (uint)length, budgetNanoseconds, flag);
            }
        }
        finally
        {
            NativeMemory.Free(flag);
        }
    }
}
