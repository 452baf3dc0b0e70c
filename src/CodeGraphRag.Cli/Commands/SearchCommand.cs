using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr search "&lt;query&gt;" [--repo &lt;name&gt;] [--top N] [--mode &lt;mode&gt;] [--lang l] [--path glob] [--json]</c>.</summary>
internal static class SearchCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "repo", "top", "mode", "lang", "path" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "json", "files" };

    /// <summary>Runs the command on <paramref name="resident"/> (the background server's session) or, when null, on a session of its own.</summary>
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken, EmbeddedSession? resident = null)
    {
        var query = args.Single("query");
        if (string.IsNullOrWhiteSpace(query))
        {
            throw CliException.Usage("the query is empty");
        }

        var top = args.Int("top", SearchLimits.DefaultTop, 1, SearchLimits.MaxTop);
        var mode = SearchArguments.ParseMode(args.Value("mode"));
        await using var owned = resident is null ? await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken) : null;
        var session = resident ?? owned!;
        var repositories = await SearchArguments.CheckRepositoriesAsync(session.Services.GetRequiredService<IRepositoryCatalog>(), args.Values("repo"), cancellationToken);
        var request = new SearchRequest(query, repositories, args.Values("lang") is { Count: > 0 } l ? l : null, args.Value("path"), mode, top, Files: args.Flag("files"));
        var response = await RunSearchAsync(session.Client, request, cancellationToken);
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

    /// <summary>Runs a search, turning a query syntax error into a usage error.</summary>
    internal static Task<SearchResponse> RunSearchAsync(IClusterClient client, SearchRequest request, CancellationToken cancellationToken)
        => CallAsync(client, grain => grain.SearchAsync(request, cancellationToken));

    /// <summary>Calls the search grain, turning a query syntax error into a usage error.</summary>
    internal static async Task<T> CallAsync<T>(IClusterClient client, Func<ISearchGrain, Task<T>> call)
    {
        try
        {
            return await call(client.GetGrain<ISearchGrain>(0));
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage(ex.Message);
        }
    }
}
