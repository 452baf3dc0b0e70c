; CodeGraphRag's own extraction query for tree-sitter-ruby (capture names: see TreeSitter/Queries/README.md).

(class name: [(constant) (scope_resolution)] @name) @def.class
(module name: [(constant) (scope_resolution)] @name) @def.module
(method name: (_) @name) @def.method
(singleton_method name: (_) @name) @def.method

(call receiver: (_) @call.qualifier method: [(identifier) (constant)] @call.name) @call
(call !receiver method: (identifier) @call.name) @call

(call !receiver method: (identifier) @_fn arguments: (argument_list . (string))) @import

(superclass [(constant) (scope_resolution)] @base)
