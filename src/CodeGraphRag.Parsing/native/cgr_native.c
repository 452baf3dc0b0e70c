// CodeGraphRag's own additions to the tree-sitter library (compiled into libcgr_treesitter with the pinned runtime):
// - cgr_parse: a parse that stops at a deadline or when a flag is set, checked natively (a managed progress callback
//   cost a reverse P/Invoke every hundred parser operations);
// - cgr_collect: one pre-order walk that collects the nodes our extraction patterns can start at;
// - cgr_children: a node's visible children with their field ids.
// The extractor matches its patterns on these in managed code (TreeSitter/Matching); tree-sitter's query cursor did the
// same work at about half the speed, because it tracks pattern state at every node.
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <tree_sitter/api.h>
// The runtime's internal headers (same pinned version, compiled into the same library): the walk reads subtrees directly.
#include "subtree.h"
#include "language.h"
#include "length.h"
#include "tree.h"

#define CGR_EXPORT __attribute__((visibility("default")))

typedef struct {
  const char *text;
  uint32_t length;
  uint64_t deadline_ns;
  volatile const int32_t *cancelled;
} CgrParse;

static uint64_t cgr_now_ns(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (uint64_t)now.tv_sec * 1000000000u + (uint64_t)now.tv_nsec;
}

static const char *cgr_read(void *payload, uint32_t byte_index, TSPoint position, uint32_t *bytes_read) {
  (void)position;
  const CgrParse *parse = payload;
  if (byte_index >= parse->length) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = parse->length - byte_index;
  return parse->text + byte_index;
}

static bool cgr_progress(TSParseState *state) {
  const CgrParse *parse = state->payload;
  return (parse->cancelled && *parse->cancelled) || cgr_now_ns() > parse->deadline_ns;
}

// Parses UTF-8 text; returns NULL when budget_ns passed or *cancelled (when given) became non-zero while parsing.
CGR_EXPORT TSTree *cgr_parse(TSParser *parser, const char *text, uint32_t length, uint64_t budget_ns, volatile const int32_t *cancelled) {
  CgrParse parse = {text, length, cgr_now_ns() + budget_ns, cancelled};
  TSInput input = {.payload = &parse, .read = cgr_read, .encoding = TSInputEncodingUTF8, .decode = NULL};
  TSParseOptions options = {.payload = &parse, .progress_callback = cgr_progress};
  return ts_parser_parse_with_options(parser, NULL, input, options);
}

typedef struct {
  const Subtree *subtree;
  Length position;
  TSSymbol alias;
  bool visible;
} CgrEntry;

// Writes, in pre-order, every visible node whose public symbol s has mask[s] != 0 (symbols at or past mask_len never
// match) into out, up to capacity; returns how many there are (a caller whose buffer was too small grows it and walks
// again), or UINT32_MAX when memory ran out. The walk reads the subtrees as TSTreeCursor does (hidden nodes are
// descended through, extras take no alias, aliases come from the parent's production) but keeps no cursor state per
// node: an explicit stack (deep input cannot overflow the C stack), positions summed from padding and size.
CGR_EXPORT uint32_t cgr_collect(TSNode root, const uint8_t *mask, uint32_t mask_len, TSNode *out, uint32_t capacity) {
  if (!root.id) return 0;
  const TSTree *tree = root.tree;
  const TSLanguage *language = tree->language;
  uint32_t size = 0, reserved = 256, count = 0;
  CgrEntry *stack = malloc(reserved * sizeof(CgrEntry));
  if (!stack) return UINT32_MAX;
  stack[size++] = (CgrEntry){
    .subtree = (const Subtree *)root.id,
    .position = {root.context[0], {root.context[1], root.context[2]}},
    .alias = (TSSymbol)root.context[3],
    .visible = true,
  };
  while (size > 0) {
    CgrEntry entry = stack[--size];
    Subtree subtree = *entry.subtree;
    if (entry.visible) {
      TSSymbol symbol = ts_language_public_symbol(language, entry.alias ? entry.alias : ts_subtree_symbol(subtree));
      if (symbol < mask_len && mask[symbol]) {
        if (count < capacity) out[count] = ts_node_new(tree, entry.subtree, entry.position, entry.alias);
        count++;
      }
    }
    uint32_t child_count = ts_subtree_child_count(subtree);
    if (child_count == 0) continue;
    if (size + child_count > reserved) {
      while (size + child_count > reserved) reserved *= 2;
      CgrEntry *grown = realloc(stack, reserved * sizeof(CgrEntry));
      if (!grown) {
        free(stack);
        return UINT32_MAX;
      }
      stack = grown;
    }
    // Children are pushed last-first so the first child is visited next (pre-order, as the cursor).
    const TSSymbol *aliases = ts_language_alias_sequence(language, subtree.ptr->production_id);
    const Subtree *children = ts_subtree_children(subtree);
    Length position = entry.position;
    uint32_t structural = 0;
    for (uint32_t i = 0; i < child_count; i++) {
      const Subtree *child = &children[i];
      TSSymbol alias = 0;
      bool visible = ts_subtree_visible(*child);
      if (!ts_subtree_extra(*child)) {
        if (aliases) {
          alias = aliases[structural];
          visible |= alias != 0;
        }
        structural++;
      }
      stack[size + child_count - 1 - i] = (CgrEntry){child, position, alias, visible};
      position = length_add(position, ts_subtree_size(*child));
      if (i + 1 < child_count) position = length_add(position, ts_subtree_padding(children[i + 1]));
    }
    size += child_count;
  }
  free(stack);
  return count;
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
