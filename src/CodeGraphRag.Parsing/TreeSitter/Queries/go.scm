; CodeGraphRag's own extraction query for tree-sitter-go (capture names: see TreeSitter/Queries/README.md).

(package_clause (package_identifier) @package)

(function_declaration name: (identifier) @name) @def.function
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @receiver
             (pointer_type (type_identifier) @receiver)
             (generic_type type: (type_identifier) @receiver)
             (pointer_type (generic_type type: (type_identifier) @receiver))]))
  name: (field_identifier) @name) @def.method
(type_spec name: (type_identifier) @name) @def.type
(type_alias name: (type_identifier) @name) @def.typealias
(method_elem name: (field_identifier) @name) @def.method
(field_declaration name: (field_identifier) @name) @def.field
(short_var_declaration left: (expression_list . (identifier) @name) right: (expression_list . (func_literal))) @def.function

(call_expression function: (identifier) @call.name) @call
(call_expression function: (selector_expression operand: (_) @call.qualifier field: (field_identifier) @call.name)) @call
; Composite literals of named types are Go's constructor calls: Server{...}, &pkg.Config{...}, List[int]{}.
(composite_literal type: (type_identifier) @call.name) @call
(composite_literal type: (qualified_type package: (package_identifier) @call.qualifier name: (type_identifier) @call.name)) @call
(composite_literal type: (generic_type type: (type_identifier) @call.name)) @call

(import_spec) @import

(field_declaration !name type: (_) @base)
(interface_type (type_elem [(type_identifier) (qualified_type) (generic_type)] @base))
