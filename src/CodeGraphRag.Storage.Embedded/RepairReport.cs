using CodeGraphRag.Abstractions.Storage;

namespace CodeGraphRag.Storage.Embedded;

/// <summary>What <see cref="EmbeddedStoreRepair.RepairAsync"/> did.</summary>
/// <param name="Actions">Each step taken, one line each, in order.</param>
/// <param name="MovedAsideTo">Where the database beyond repair was moved; null when it was repaired in place (or absent).</param>
/// <param name="RepositoriesToIndex">
/// When the database was moved aside: the repositories it held (name, source, revision), to index again from their sources.
/// Null when neither the catalog nor its copy could be read.
/// </param>
/// <param name="CatalogProblem">Why the database's catalog could not be read in full, or null.</param>
public sealed record RepairReport(
    IReadOnlyList<string> Actions,
    string? MovedAsideTo,
    IReadOnlyList<RepositoryInfo>? RepositoriesToIndex,
    string? CatalogProblem);
