; CodeGraphRag's own extraction query for tree-sitter-rust (capture names: see TreeSitter/Queries/README.md).

(mod_item name: (identifier) @name) @def.module
(struct_item name: (type_identifier) @name) @def.struct
(enum_item name: (type_identifier) @name) @def.enum
(trait_item name: (type_identifier) @name) @def.interface
(type_item name: (type_identifier) @name) @def.typealias
(function_item name: (identifier) @name) @def.function
(function_signature_item name: (identifier) @name) @def.method
(impl_item type: [(type_identifier) @name
                  (generic_type type: (type_identifier) @name)
                  (scoped_type_identifier name: (type_identifier) @name)]) @def.scope

(call_expression function: (identifier) @call.name) @call
(call_expression function: (field_expression value: (_) @call.qualifier field: (field_identifier) @call.name)) @call
(call_expression function: (scoped_identifier path: (_) @call.qualifier name: (identifier) @call.name)) @call
(call_expression function: (generic_function function: (identifier) @call.name)) @call
(call_expression function: (generic_function function: (field_expression value: (_) @call.qualifier field: (field_identifier) @call.name))) @call
(call_expression function: (generic_function function: (scoped_identifier path: (_) @call.qualifier name: (identifier) @call.name))) @call

(use_declaration) @import

(impl_item trait: (_) @base)
(trait_item bounds: (trait_bounds [(type_identifier) (scoped_type_identifier) (generic_type)] @base))
