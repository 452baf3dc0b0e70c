namespace CodeGraphRag.Storage.Embedded;

/// <summary>What <see cref="EmbeddedStore.CheckIntegrityAsync"/> checked and what it rebuilt; a damaged database throws instead.</summary>
/// <param name="DatabasePath">The database file checked.</param>
/// <param name="Checks">The checks that ran and passed, one line each.</param>
/// <param name="Rebuilt">Derived state that disagreed with SQLite and was rebuilt from it, one line each (empty: none).</param>
public sealed record IntegrityReport(string DatabasePath, IReadOnlyList<string> Checks, IReadOnlyList<string> Rebuilt);
