using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CodeGraphRag.Parsing.TreeSitter.Native;

/// <summary>
/// Parses a pinned UTF-8 buffer through <c>ts_parser_parse_with_options</c>, so a parse can stop at a deadline or when
/// the caller's token is cancelled (error recovery on pathological input can take seconds).
/// </summary>
internal static unsafe class ParseControl
{
    /// <summary>Parses; returns the tree, or 0 when the deadline passed or the token was cancelled.</summary>
    public static nint Parse(nint parser, byte* text, int length, TimeSpan budget, CancellationToken cancellationToken)
    {
        var buffer = new Buffer { Data = text, Length = (uint)length };
        var tokenHandle = cancellationToken.CanBeCanceled ? GCHandle.Alloc(cancellationToken) : default;
        try
        {
            var control = new State
            {
                Deadline = Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency),
                Token = tokenHandle.IsAllocated ? GCHandle.ToIntPtr(tokenHandle) : 0,
            };
            var input = new TsInput { Payload = (nint)(&buffer), Read = &Read, Encoding = 0 };
            var options = new TsParseOptions { Payload = (nint)(&control), ProgressCallback = &Progress };
            return TsNative.ts_parser_parse_with_options(parser, 0, input, options);
        }
        finally
        {
            if (tokenHandle.IsAllocated)
            {
                tokenHandle.Free();
            }
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte* Read(nint payload, uint byteIndex, TsPoint position, uint* bytesRead)
    {
        var buffer = (Buffer*)payload;
        *bytesRead = byteIndex < buffer->Length ? buffer->Length - byteIndex : 0;
        return buffer->Data + Math.Min(byteIndex, buffer->Length);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static byte Progress(TsParseState* state)
    {
        var control = (State*)state->Payload;
        if (Stopwatch.GetTimestamp() > control->Deadline)
        {
            return 1;
        }

        return control->Token != 0 && GCHandle.FromIntPtr(control->Token).Target is CancellationToken { IsCancellationRequested: true } ? (byte)1 : (byte)0;
    }

    private struct Buffer
    {
        public byte* Data;
        public uint Length;
    }

    private struct State
    {
        public long Deadline;
        public nint Token;
    }
}
