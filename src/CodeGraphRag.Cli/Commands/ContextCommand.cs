using System.Globalization;
using CodeGraphRag.Abstractions.Search;
using CodeGraphRag.Cli.Backends;
using CodeGraphRag.Cli.CommandLine;
using CodeGraphRag.Cli.Output;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr context "&lt;query&gt;" --budget &lt;tokens&gt; [--repo name]</c>: hits plus graph context packed for an LLM prompt.</summary>
internal static class ContextCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal) { "budget", "repo", "mode", "top" };
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Validates the arguments, then packs context from the backend <paramref name="open"/> gives (embedded or a server).</summary>
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, TextWriter stderr, Func<Task<ICliBackend>> open, CancellationToken cancellationToken)
    {
        var query = args.Single("query");
        if (args.Value("budget") is null)
        {
            throw CliException.Usage("context needs --budget <tokens> (for example --budget 4000)");
        }

        var budget = args.Int("budget", SearchLimits.DefaultTokenBudget, SearchLimits.MinTokenBudget, SearchLimits.MaxTokenBudget);
        var top = args.Int("top", SearchLimits.ContextTop, 1, SearchLimits.MaxTop);
        var mode = SearchArguments.ParseMode(args.Value("mode"));
        await using var backend = await open();
        var repositories = args.Values("repo") is { Count: > 0 } r ? r : null;
        var packed = await backend.GetContextAsync(new ContextRequest(new SearchRequest(query, repositories, Mode: mode, Top: top), budget), cancellationToken);
        stdout.Write(TerminalText.Neutralize(packed.Text));
        if (!packed.Text.EndsWith('\n'))
        {
            stdout.WriteLine();
        }

        var considered = packed.Considered is { } hits ? $" of {hits}" : string.Empty;
        var related = packed.RelatedIncluded is { } snippets ? $", {snippets} related snippets" : string.Empty;
        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cgr: {packed.Packed}{considered} hits{related}, {packed.Tokens}/{budget} tokens"));
        return 0;
    }
}
