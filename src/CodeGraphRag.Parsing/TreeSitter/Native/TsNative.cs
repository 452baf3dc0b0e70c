using System.Runtime.InteropServices;

namespace CodeGraphRag.Parsing.TreeSitter.Native;

/// <summary>The subset of the tree-sitter C API (0.25) that the extractor uses, from <c>libcgr_treesitter.so</c>.</summary>
/// <remarks>
/// Call <see cref="TreeSitterLibrary.EnsureResolver"/> before the first call so the library is found next to the assembly.
/// Constant-time accessors that neither block, allocate nor call back (a node's type, byte and point bounds, flags, a
/// tree's root) skip the GC transition: the extractor calls them hundreds of thousands of times per megabyte. Calls that
/// walk children or the tree (parent, child by field, query matches, parsing) keep it.
/// </remarks>
internal static unsafe partial class TsNative
{
    internal const string Library = "cgr_treesitter";

    [LibraryImport(Library)] internal static partial nint ts_parser_new();
    [LibraryImport(Library)] internal static partial void ts_parser_delete(nint parser);
    [LibraryImport(Library)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_parser_set_language(nint parser, nint language);
    [LibraryImport(Library)] internal static partial void ts_parser_reset(nint parser);

    [LibraryImport(Library)] internal static partial void ts_tree_delete(nint tree);
    [LibraryImport(Library)][SuppressGCTransition] internal static partial TsNode ts_tree_root_node(nint tree);

    [LibraryImport(Library)][SuppressGCTransition] internal static partial byte* ts_node_type(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition] internal static partial uint ts_node_start_byte(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition] internal static partial uint ts_node_end_byte(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition] internal static partial TsPoint ts_node_start_point(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition] internal static partial TsPoint ts_node_end_point(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_node_is_named(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_node_is_missing(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_node_is_error(TsNode node);
    [LibraryImport(Library)][SuppressGCTransition][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_node_has_error(TsNode node);
    [LibraryImport(Library)] internal static partial TsNode ts_node_parent(TsNode node);
    [LibraryImport(Library)] internal static partial TsNode ts_node_prev_named_sibling(TsNode node);
    [LibraryImport(Library)] internal static partial uint ts_node_child_count(TsNode node);
    [LibraryImport(Library)] internal static partial TsNode ts_node_child(TsNode node, uint index);
    [LibraryImport(Library)] internal static partial uint ts_node_named_child_count(TsNode node);
    [LibraryImport(Library)] internal static partial TsNode ts_node_named_child(TsNode node, uint index);
    [LibraryImport(Library)] internal static partial TsNode ts_node_child_by_field_name(TsNode node, byte* name, uint length);
    [LibraryImport(Library)] internal static partial byte* ts_node_field_name_for_child(TsNode node, uint index);

    [LibraryImport(Library)] internal static partial TsTreeCursor ts_tree_cursor_new(TsNode node);
    [LibraryImport(Library)] internal static partial void ts_tree_cursor_delete(TsTreeCursor* cursor);
    [LibraryImport(Library)] internal static partial TsNode ts_tree_cursor_current_node(TsTreeCursor* cursor);
    [LibraryImport(Library)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_tree_cursor_goto_first_child(TsTreeCursor* cursor);
    [LibraryImport(Library)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_tree_cursor_goto_next_sibling(TsTreeCursor* cursor);
    [LibraryImport(Library)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_tree_cursor_goto_parent(TsTreeCursor* cursor);

    [LibraryImport(Library)] internal static partial nint ts_query_new(nint language, byte* source, uint length, out uint errorOffset, out int errorType);
    [LibraryImport(Library)] internal static partial void ts_query_delete(nint query);
    [LibraryImport(Library)] internal static partial uint ts_query_capture_count(nint query);
    [LibraryImport(Library)] internal static partial byte* ts_query_capture_name_for_id(nint query, uint index, out uint length);
    [LibraryImport(Library)] internal static partial nint ts_query_cursor_new();
    [LibraryImport(Library)] internal static partial void ts_query_cursor_delete(nint cursor);
    [LibraryImport(Library)] internal static partial void ts_query_cursor_exec(nint cursor, nint query, TsNode node);
    [LibraryImport(Library)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool ts_query_cursor_next_match(nint cursor, out TsQueryMatch match);

    [LibraryImport(Library)][SuppressGCTransition] internal static partial ushort ts_node_symbol(TsNode node);
    [LibraryImport(Library)] internal static partial uint ts_language_symbol_count(nint language);
    [LibraryImport(Library)] internal static partial ushort ts_language_symbol_for_name(nint language, byte* name, uint length, [MarshalAs(UnmanagedType.U1)] bool isNamed);
    [LibraryImport(Library)] internal static partial ushort ts_language_field_id_for_name(nint language, byte* name, uint length);

    // CodeGraphRag's own functions (native/cgr_native.c), compiled into the same library.
    [LibraryImport(Library)] internal static partial nint cgr_parse(nint parser, byte* text, uint length, ulong budgetNanoseconds, int* cancelled);
    [LibraryImport(Library)] internal static partial uint cgr_collect(TsNode root, byte* mask, uint maskLength, TsNode* output, uint capacity);
    [LibraryImport(Library)] internal static partial uint cgr_children(TsTreeCursor* cursor, TsNode node, CgrChild* output, uint capacity);

    [LibraryImport(Library)] internal static partial nint tree_sitter_python();
    [LibraryImport(Library)] internal static partial nint tree_sitter_javascript();
    [LibraryImport(Library)] internal static partial nint tree_sitter_typescript();
    [LibraryImport(Library)] internal static partial nint tree_sitter_tsx();
    [LibraryImport(Library)] internal static partial nint tree_sitter_go();
    [LibraryImport(Library)] internal static partial nint tree_sitter_java();
    [LibraryImport(Library)] internal static partial nint tree_sitter_rust();
    [LibraryImport(Library)] internal static partial nint tree_sitter_c();
    [LibraryImport(Library)] internal static partial nint tree_sitter_cpp();
    [LibraryImport(Library)] internal static partial nint tree_sitter_ruby();
    [LibraryImport(Library)] internal static partial nint tree_sitter_php();
}
