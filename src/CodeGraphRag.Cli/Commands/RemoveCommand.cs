using CodeGraphRag.Abstractions.Grains;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Cli.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Commands;

/// <summary><c>cgr remove &lt;repo&gt;</c>.</summary>
internal static class RemoveCommand
{
    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var name = args.Single("repository name");
        await using var session = await EmbeddedSession.StartAsync(args, readOnly: false, cancellationToken);
        await SearchArguments.CheckRepositoriesAsync(session.Services.GetRequiredService<IRepositoryCatalog>(), [name], cancellationToken);
        await session.Client.GetGrain<IRepositoryGrain>(GrainKeys.Repository(name)).RemoveAsync();
        stdout.WriteLine($"removed {name}");
        return 0;
    }
}
