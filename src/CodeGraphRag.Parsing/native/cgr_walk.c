// CodeGraphRag's own additions to the tree-sitter library: one pre-order walk that collects the nodes our extraction
// patterns can start at, and a node's visible children with their field ids. The extractor matches its patterns on
// these in managed code (TreeSitter/Matching); tree-sitter's query cursor did the same work at about half the speed,
// because it visits every node for every pattern step it tracks.
#include <stdint.h>
#include <tree_sitter/api.h>

#define CGR_EXPORT __attribute__((visibility("default")))

// Writes, in pre-order, every node whose symbol s has mask[s] != 0 (symbols at or past mask_len never match) into out,
// up to capacity; returns how many there are, so a caller whose buffer was too small can grow it and walk again.
CGR_EXPORT uint32_t cgr_collect(TSNode root, const uint8_t *mask, uint32_t mask_len, TSNode *out, uint32_t capacity) {
  uint32_t count = 0;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  for (;;) {
    TSNode node = ts_tree_cursor_current_node(&cursor);
    TSSymbol symbol = ts_node_symbol(node);
    if (symbol < mask_len && mask[symbol]) {
      if (count < capacity) out[count] = node;
      count++;
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) continue;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (!ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return count;
      }
    }
  }
}

typedef struct {
  TSNode node;
  uint16_t symbol;
  uint16_t field;
  uint8_t named;
} CgrChild;

// Writes node's visible children in order (with the field each sits in, 0 for none) into out, up to capacity; returns
// how many there are. cursor is the caller's, reset to node here, so its stack is allocated once per walk, not per node.
CGR_EXPORT uint32_t cgr_children(TSTreeCursor *cursor, TSNode node, CgrChild *out, uint32_t capacity) {
  uint32_t count = 0;
  ts_tree_cursor_reset(cursor, node);
  if (ts_tree_cursor_goto_first_child(cursor)) {
    do {
      if (count < capacity) {
        TSNode child = ts_tree_cursor_current_node(cursor);
        out[count].node = child;
        out[count].symbol = ts_node_symbol(child);
        out[count].field = ts_tree_cursor_current_field_id(cursor);
        out[count].named = ts_node_is_named(child) ? 1 : 0;
      }
      count++;
    } while (ts_tree_cursor_goto_next_sibling(cursor));
  }
  return count;
}
