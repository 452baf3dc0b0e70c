; CodeGraphRag's own extraction query for tree-sitter-cpp (capture names: see TreeSitter/Queries/README.md).
; @name on a function's declarator: CFamilyRules.DeclaredName finds the (possibly qualified) name inside it.

(namespace_definition name: [(namespace_identifier) (nested_namespace_specifier)] @name) @def.namespace
(class_specifier name: [(type_identifier) (qualified_identifier)] @name body: (_)) @def.class
(struct_specifier name: [(type_identifier) (qualified_identifier)] @name body: (_)) @def.struct
(union_specifier name: (type_identifier) @name body: (_)) @def.struct
(enum_specifier name: (type_identifier) @name body: (_)) @def.enum
(function_definition declarator: (_) @name) @def.function
(type_definition declarator: (type_identifier) @name) @def.typealias
(alias_declaration name: (type_identifier) @name) @def.typealias

(call_expression function: [(identifier) (qualified_identifier)] @call.name) @call
(call_expression function: (template_function name: (identifier) @call.name)) @call
(call_expression function: (field_expression argument: (_) @call.qualifier field: (field_identifier) @call.name)) @call
(new_expression type: [(type_identifier) (qualified_identifier)] @call.name) @call
(new_expression type: (template_type name: (type_identifier) @call.name)) @call

(preproc_include) @import
(using_declaration) @import

(base_class_clause [(type_identifier) (qualified_identifier) (template_type)] @base)
