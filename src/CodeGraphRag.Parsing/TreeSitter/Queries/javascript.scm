; CodeGraphRag's own extraction query for tree-sitter-javascript (capture names: see TreeSitter/Queries/README.md).

(class_declaration name: (identifier) @name) @def.class
(class name: (identifier) @name) @def.class
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @def.method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @def.function
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression)]) @def.function
(field_definition property: [(property_identifier) (private_property_identifier)] @name) @def.field

(call_expression function: (identifier) @call.name) @call
(call_expression function: (member_expression object: (_) @call.qualifier property: [(property_identifier) (private_property_identifier)] @call.name)) @call
(new_expression constructor: (identifier) @call.name) @call
(new_expression constructor: (member_expression object: (_) @call.qualifier property: (property_identifier) @call.name)) @call

(import_statement) @import
(call_expression function: (identifier) @_fn arguments: (arguments . (string))) @import

(class_heritage [(identifier) (member_expression) (call_expression)] @base)
