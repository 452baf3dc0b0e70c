; CodeGraphRag's own extraction query for tree-sitter-python (capture names: see TreeSitter/Queries/README.md).

(class_definition name: (identifier) @name) @def.class
(function_definition name: (identifier) @name) @def.function

(call function: (identifier) @call.name) @call
(call function: (attribute object: (_) @call.qualifier attribute: (identifier) @call.name)) @call

(import_statement) @import
(import_from_statement) @import
(future_import_statement) @import

(class_definition superclasses: (argument_list [(identifier) (attribute) (subscript)] @base))
