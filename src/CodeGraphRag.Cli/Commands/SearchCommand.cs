using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.Backends;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr search "&lt;query&gt;" [--repo &lt;name&gt;] [--top N] [--mode &lt;mode&gt;] [--lang l] [--path glob] [--json]</c>.</summary>
internal static class SearchCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "repo", "top", "mode", "lang", "path" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "json", "files" };

    /// <summary>Validates the arguments, then searches the backend <paramref name="open"/> gives (embedded or a server).</summary>
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, Func<Task<ICliBackend>> open, CancellationToken cancellationToken)
    {
        var query = args.Single("query");
        if (string.IsNullOrWhiteSpace(query))
        {
            throw CliException.Usage("the query is empty");
        }

        var top = args.Int("top", SearchLimits.DefaultTop, 1, SearchLimits.MaxTop);
        var mode = SearchArguments.ParseMode(args.Value("mode"));
        await using var backend = await open();
        var repositories = args.Values("repo") is { Count: > 0 } r ? r : null;
        var request = new SearchRequest(query, repositories, args.Values("lang") is { Count: > 0 } l ? l : null, args.Value("path"), mode, top, Files: args.Flag("files"));
        var response = await backend.SearchAsync(request, cancellationToken);
        if (args.Flag("json"))
        {
            SearchJson.Write(stdout, response, args.Value("repo"));
        }
        else
        {
            SearchText.Write(stdout, response);
        }

        return 0;
    }
}
