using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Retrieval.Mentions;

namespace CodeGraphRag.Retrieval.Search;

/// <summary>An identifier the query names, with the definitions it was resolved to.</summary>
/// <param name="Mention">The identifier as the query names it.</param>
/// <param name="Symbols">Its defining symbols, each once.</param>
/// <param name="Files">The number of distinct files that define it.</param>
public sealed record ResolvedSymbolMention(SymbolMention Mention, IReadOnlyList<SymbolKey> Symbols, int Files);
