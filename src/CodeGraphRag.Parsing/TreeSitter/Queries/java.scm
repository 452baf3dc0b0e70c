; CodeGraphRag's own extraction query for tree-sitter-java (capture names: see TreeSitter/Queries/README.md).

(package_declaration [(identifier) (scoped_identifier)] @package)

(class_declaration name: (identifier) @name) @def.class
(interface_declaration name: (identifier) @name) @def.interface
(annotation_type_declaration name: (identifier) @name) @def.interface
(enum_declaration name: (identifier) @name) @def.enum
(record_declaration name: (identifier) @name) @def.record
(method_declaration name: (identifier) @name) @def.method
(constructor_declaration name: (identifier) @name) @def.constructor
(compact_constructor_declaration name: (identifier) @name) @def.constructor
(field_declaration declarator: (variable_declarator name: (identifier) @name)) @def.field
(constant_declaration declarator: (variable_declarator name: (identifier) @name)) @def.field
(enum_constant name: (identifier) @name) @def.field

(method_invocation object: (_) @call.qualifier name: (identifier) @call.name) @call
(method_invocation !object name: (identifier) @call.name) @call
(object_creation_expression type: [(type_identifier) (scoped_type_identifier)] @call.name) @call
(object_creation_expression type: (generic_type [(type_identifier) (scoped_type_identifier)] @call.name)) @call

(import_declaration) @import

(superclass (_) @base)
(super_interfaces (type_list (_) @base))
(extends_interfaces (type_list (_) @base))
