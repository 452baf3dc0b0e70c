; CodeGraphRag's own extraction query for tree-sitter-typescript and its tsx grammar (capture names: see README.md).

(class_declaration name: (type_identifier) @name) @def.class
(abstract_class_declaration name: (type_identifier) @name) @def.class
(class name: (type_identifier) @name) @def.class
(interface_declaration name: (type_identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(type_alias_declaration name: (type_identifier) @name) @def.typealias
(internal_module name: [(identifier) (nested_identifier)] @name) @def.namespace
(function_declaration name: (identifier) @name) @def.function
(generator_function_declaration name: (identifier) @name) @def.function
(function_signature name: (identifier) @name) @def.function
(method_definition name: [(property_identifier) (private_property_identifier)] @name) @def.method
(method_signature name: [(property_identifier) (private_property_identifier)] @name) @def.method
(abstract_method_signature name: [(property_identifier) (private_property_identifier)] @name) @def.method
(variable_declarator name: (identifier) @name value: [(arrow_function) (function_expression) (generator_function)]) @def.function
(assignment_expression left: (member_expression property: (property_identifier) @name) right: [(arrow_function) (function_expression)]) @def.function
(public_field_definition name: [(property_identifier) (private_property_identifier)] @name) @def.field
(property_signature name: [(property_identifier) (private_property_identifier)] @name) @def.property

(call_expression function: (identifier) @call.name) @call
(call_expression function: (member_expression object: (_) @call.qualifier property: [(property_identifier) (private_property_identifier)] @call.name)) @call
(new_expression constructor: (identifier) @call.name) @call
(new_expression constructor: (member_expression object: (_) @call.qualifier property: (property_identifier) @call.name)) @call

(import_statement) @import
(call_expression function: (identifier) @_fn arguments: (arguments . (string))) @import

(extends_clause value: (_) @base)
(implements_clause [(type_identifier) (generic_type) (nested_type_identifier)] @base)
(extends_type_clause type: (_) @base)
