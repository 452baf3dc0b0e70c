using CodeGraphRag.Cli.Backends;
using CodeGraphRag.Cli.CommandLine;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr remove &lt;repo&gt;</c>.</summary>
internal static class RemoveCommand
{
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, Func<Task<ICliBackend>> open, CancellationToken cancellationToken)
    {
        var name = args.Single("repository name");
        await using var backend = await open();
        await backend.RemoveRepositoryAsync(name, cancellationToken);
        stdout.WriteLine($"removed {name}");
        return 0;
    }
}
