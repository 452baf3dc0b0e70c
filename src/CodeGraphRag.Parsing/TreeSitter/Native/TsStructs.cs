using System.Runtime.InteropServices;

namespace CodeGraphRag.Parsing.TreeSitter.Native;

/// <summary>tree-sitter's <c>TSNode</c>, passed by value (32 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TsNode
{
    public uint Context0;
    public uint Context1;
    public uint Context2;
    public uint Context3;
    public nint Id;
    public nint Tree;

    public readonly bool IsNull => Id == 0;
}

/// <summary><c>CgrChild</c> (native/cgr_native.c): a visible child, its symbol, the field it sits in (0: none) and whether it is named.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CgrChild
{
    public TsNode Node;
    public ushort Symbol;
    public ushort Field;
    public byte Named;
}

/// <summary>tree-sitter's <c>TSPoint</c> (0-based row, byte column).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TsPoint
{
    public uint Row;
    public uint Column;
}

/// <summary>tree-sitter's <c>TSTreeCursor</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TsTreeCursor
{
    public nint Tree;
    public nint Id;
    public uint Context0;
    public uint Context1;
    public uint Context2;
}

/// <summary>tree-sitter's <c>TSQueryCapture</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TsQueryCapture
{
    public TsNode Node;
    public uint Index;
}

/// <summary>tree-sitter's <c>TSQueryMatch</c>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct TsQueryMatch
{
    public uint Id;
    public ushort PatternIndex;
    public ushort CaptureCount;
    public TsQueryCapture* Captures;
}
