; CodeGraphRag's own extraction query for tree-sitter-php (capture names: see TreeSitter/Queries/README.md).

(namespace_definition name: (namespace_name) @package)

(class_declaration name: (name) @name) @def.class
(interface_declaration name: (name) @name) @def.interface
(trait_declaration name: (name) @name) @def.interface
(enum_declaration name: (name) @name) @def.enum
(function_definition name: (name) @name) @def.function
(method_declaration name: (name) @name) @def.method

(function_call_expression function: [(name) (qualified_name)] @call.name) @call
(member_call_expression object: (_) @call.qualifier name: (name) @call.name) @call
(nullsafe_member_call_expression object: (_) @call.qualifier name: (name) @call.name) @call
(scoped_call_expression scope: (_) @call.qualifier name: (name) @call.name) @call
(object_creation_expression [(name) (qualified_name)] @call.name) @call

(namespace_use_declaration) @import

(base_clause [(name) (qualified_name)] @base)
(class_interface_clause [(name) (qualified_name)] @base)
