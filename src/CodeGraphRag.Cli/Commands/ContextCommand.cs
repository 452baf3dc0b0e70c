using System.Globalization;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr context "&lt;query&gt;" --budget &lt;tokens&gt; [--repo name]</c>: hits plus graph context packed for an LLM prompt.</summary>
internal static class ContextCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "budget", "repo", "mode", "top" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Runs the command on <paramref name="resident"/> (the background server's session) or, when null, on a session of its own.</summary>
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken, EmbeddedSession? resident = null)
    {
        var query = args.Single("query");
        if (args.Value("budget") is null)
        {
            throw CliException.Usage("context needs --budget <tokens> (for example --budget 4000)");
        }

        var budget = args.Int("budget", SearchLimits.DefaultTokenBudget, SearchLimits.MinTokenBudget, SearchLimits.MaxTokenBudget);
        var top = args.Int("top", SearchLimits.ContextTop, 1, SearchLimits.MaxTop);
        var mode = SearchArguments.ParseMode(args.Value("mode"));
        await using var owned = resident is null ? await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken) : null;
        var session = resident ?? owned!;
        var repositories = await SearchArguments.CheckRepositoriesAsync(session.Services.GetRequiredService<IRepositoryCatalog>(), args.Values("repo"), cancellationToken);
        var request = new ContextRequest(new SearchRequest(query, repositories, Mode: mode, Top: top), budget);
        var packed = await SearchCommand.CallAsync(session.Client, grain => grain.GetContextAsync(request, cancellationToken));
        stdout.Write(TerminalText.Neutralize(packed.Text));
        if (!packed.Text.EndsWith('\n'))
        {
            stdout.WriteLine();
        }

        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"cgr: {packed.Packed.Count} of {packed.Search.Hits.Count} hits, {packed.RelatedIncluded} related snippets, {packed.Tokens}/{budget} tokens"));
        return 0;
    }
}
