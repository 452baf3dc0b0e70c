using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using CodeGraphRag.Parsing.TreeSitter.Native;

namespace CodeGraphRag.Parsing.TreeSitter;

/// <summary>One parsed file's UTF-8 bytes plus node helpers that read text, types, fields and lines.</summary>
/// <remarks>Every helper accepts a null node (a missing field) and answers empty/zero: the C API would dereference it.</remarks>
internal sealed unsafe class TsDocument(byte[] utf8, int length)
{
    private static readonly ConcurrentDictionary<nint, string> _typeNames = new();

    public byte[] Utf8 { get; } = utf8;

    public int Length { get; } = length;

    public static string Type(TsNode node)
    {
        if (node.IsNull)
        {
            return string.Empty;
        }

        var ptr = TsNative.ts_node_type(node);
        if (ptr == null)
        {
            return string.Empty;
        }

        // CGR: node type strings are static data of the grammar, so the pointer identifies the string.
        return _typeNames.GetOrAdd((nint)ptr, static p => Marshal.PtrToStringUTF8(p) ?? string.Empty);
    }

    public static TsNode Field(TsNode node, ReadOnlySpan<byte> fieldName)
    {
        if (node.IsNull)
        {
            return default;
        }

        fixed (byte* name = fieldName)
        {
            return TsNative.ts_node_child_by_field_name(node, name, (uint)fieldName.Length);
        }
    }

    public static TsNode Parent(TsNode node) => node.IsNull ? default : TsNative.ts_node_parent(node);

    public static TsNode PrevNamedSibling(TsNode node) => node.IsNull ? default : TsNative.ts_node_prev_named_sibling(node);

    public static int NamedChildCount(TsNode node) => node.IsNull ? 0 : (int)TsNative.ts_node_named_child_count(node);

    public static TsNode NamedChild(TsNode node, int index) => node.IsNull ? default : TsNative.ts_node_named_child(node, (uint)index);

    public static IEnumerable<TsNode> NamedChildren(TsNode node)
    {
        var count = NamedChildCount(node);
        for (var i = 0; i < count; i++)
        {
            yield return NamedChild(node, i);
        }
    }

    /// <summary>Children (named or not) together with the field name each one sits in, or null.</summary>
    public static List<(TsNode Child, string? Field)> ChildrenWithFields(TsNode node)
    {
        var count = node.IsNull ? 0 : TsNative.ts_node_child_count(node);
        var result = new List<(TsNode, string?)>((int)count);
        for (uint i = 0; i < count; i++)
        {
            var field = TsNative.ts_node_field_name_for_child(node, i);
            result.Add((TsNative.ts_node_child(node, i), field == null ? null : Marshal.PtrToStringUTF8((nint)field)));
        }

        return result;
    }

    public static int StartByte(TsNode node) => node.IsNull ? 0 : (int)TsNative.ts_node_start_byte(node);

    public static int EndByte(TsNode node) => node.IsNull ? 0 : (int)TsNative.ts_node_end_byte(node);

    /// <summary>1-based first line.</summary>
    public static int StartLine(TsNode node) => node.IsNull ? 0 : (int)TsNative.ts_node_start_point(node).Row + 1;

    /// <summary>1-based last line; a node ending at column 0 ends on the previous line.</summary>
    public static int EndLine(TsNode node)
    {
        if (node.IsNull)
        {
            return 0;
        }

        var end = TsNative.ts_node_end_point(node);
        var start = TsNative.ts_node_start_point(node);
        return end.Column == 0 && end.Row > start.Row ? (int)end.Row : (int)end.Row + 1;
    }

    public string Text(TsNode node)
    {
        if (node.IsNull)
        {
            return string.Empty;
        }

        var start = StartByte(node);
        var end = Math.Min(EndByte(node), Length);
        return end > start ? Encoding.UTF8.GetString(Utf8, start, end - start) : string.Empty;
    }

    public string Text(int start, int end)
    {
        end = Math.Min(end, Length);
        return end > start ? Encoding.UTF8.GetString(Utf8, start, end - start) : string.Empty;
    }

    /// <summary>Text with every whitespace run collapsed to one space, cut at <paramref name="max"/> characters.</summary>
    public string OneLine(int start, int end, int max = 300)
    {
        var raw = Text(start, Math.Min(end, start + (max * 4)));
        var sb = new StringBuilder(Math.Min(raw.Length, max));
        var space = false;
        foreach (var c in raw)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(c);
            if (sb.Length >= max)
            {
                break;
            }
        }

        return sb.ToString();
    }

    public string OneLine(TsNode node, int max = 300) => OneLine(StartByte(node), EndByte(node), max);

    /// <summary>Counts ERROR and MISSING nodes without recursion (deeply nested input must not overflow the stack).</summary>
    public static int CountErrors(TsNode root)
    {
        if (!TsNative.ts_node_has_error(root))
        {
            return 0;
        }

        var errors = 0;
        var cursor = TsNative.ts_tree_cursor_new(root);
        try
        {
            var c = &cursor;
            while (true)
            {
                var node = TsNative.ts_tree_cursor_current_node(c);
                var descend = false;
                if (TsNative.ts_node_is_error(node) || TsNative.ts_node_is_missing(node))
                {
                    errors++;
                }
                else if (TsNative.ts_node_has_error(node))
                {
                    descend = true;
                }

                if (descend && TsNative.ts_tree_cursor_goto_first_child(c))
                {
                    continue;
                }

                while (!TsNative.ts_tree_cursor_goto_next_sibling(c))
                {
                    if (!TsNative.ts_tree_cursor_goto_parent(c))
                    {
                        return errors;
                    }
                }
            }
        }
        finally
        {
            TsNative.ts_tree_cursor_delete(&cursor);
        }
    }
}
