namespace CodeGraphRag.Retrieval.Mentions;

/// <summary>A file path a query names, as written, with what the query says about it.</summary>
/// <param name="Path">The path as written (normalise with <c>PathMentions.Normalize</c> before matching).</param>
/// <param name="Functions">Functions of the stack frames that name this path (<c>in text</c>, <c>at Foo.bar(</c>), simple names, first seen first.</param>
/// <param name="Count">How often the query names the path (the same path in different spellings counts as one path).</param>
public sealed record PathMention(string Path, IReadOnlyList<string> Functions, int Count);
