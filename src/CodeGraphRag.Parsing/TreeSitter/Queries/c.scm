; CodeGraphRag's own extraction query for tree-sitter-c (capture names: see TreeSitter/Queries/README.md).
; @name on a function's declarator: CFamilyRules.DeclaredName finds the name inside pointer/function declarators.

(function_definition declarator: (_) @name) @def.function
(struct_specifier name: (type_identifier) @name body: (_)) @def.struct
(union_specifier name: (type_identifier) @name body: (_)) @def.struct
(enum_specifier name: (type_identifier) @name body: (_)) @def.enum
(type_definition declarator: (type_identifier) @name) @def.typealias

(call_expression function: (identifier) @call.name) @call
(call_expression function: (field_expression argument: (_) @call.qualifier field: (field_identifier) @call.name)) @call

(preproc_include) @import
