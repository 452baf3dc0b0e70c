namespace CodeGraphRag.Retrieval.Mentions;

/// <summary>An identifier a query names, to be resolved to the symbols that define it.</summary>
/// <param name="Name">The simple name (the last segment of a dotted name).</param>
/// <param name="Qualifier">What precedes the name in a dotted or <c>::</c> name (<c>Cache</c> of <c>Cache.evict</c>), or null.</param>
public sealed record SymbolMention(string Name, string? Qualifier);
