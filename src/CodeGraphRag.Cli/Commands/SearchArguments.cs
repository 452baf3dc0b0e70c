using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;

namespace CodeGraphRag.Cli.Commands;

/// <summary>Options shared by search-like commands.</summary>
internal static class SearchArguments
{
    /// <summary>Parses a <c>--mode</c> value.</summary>
    public static SearchMode ParseMode(string? raw) =>
        SearchModes.TryParse(raw, out var mode) ? mode : throw CliException.Usage($"--mode '{raw}' is not one of {SearchModes.AllNames}");

    /// <summary>The user-facing name of a mode.</summary>
    public static string Name(SearchMode mode) => SearchModes.Name(mode);

    /// <summary>Checks that every named repository is indexed; an unknown one is a one-line error.</summary>
    public static async Task<IReadOnlyList<string>?> CheckRepositoriesAsync(IRepositoryCatalog catalog, IReadOnlyList<string> names, CancellationToken cancellationToken)
    {
        if (names.Count == 0)
        {
            return null;
        }

        foreach (var name in names)
        {
            if (await catalog.GetRepositoryAsync(name, cancellationToken) is null)
            {
                var known = (await catalog.ListRepositoriesAsync(cancellationToken)).Select(r => r.Name).ToList();
                var hint = known.Count == 0 ? "nothing is indexed yet" : "indexed: " + string.Join(", ", known);
                throw new CliException($"unknown repository '{name}' ({hint}); index it with 'cgr index <path> --name {name}'");
            }
        }

        return names;
    }
}
