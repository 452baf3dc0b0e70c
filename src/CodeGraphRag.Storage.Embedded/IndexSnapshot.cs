namespace CodeGraphRag.Storage.Embedded;

/// <summary>
/// A canonical dump of the logical index state (manifest, chunks, vectors, FTS5 postings, graph rows), without
/// storage-internal row ids, so two stores holding the same logical data produce equal snapshots.
/// </summary>
/// <param name="Json">Indented canonical JSON, sorted throughout; compare two snapshots with <c>Assert.Equal(a.Json, b.Json)</c> for a readable diff.</param>
/// <param name="Files">Manifest rows.</param>
/// <param name="Chunks">Chunk rows.</param>
/// <param name="Vectors">Vectors of the configured model.</param>
/// <param name="LexicalPostings">FTS5 (term, offset) postings.</param>
public sealed record IndexSnapshot(string Json, int Files, int Chunks, int Vectors, int LexicalPostings)
{
    /// <inheritdoc/>
    public override string ToString() => Json;
}
