using System.Globalization;
using CodeGraphRag.Abstractions.Storage;
using CodeGraphRag.Api.QueryLog;
using CodeGraphRag.Cli.CommandLine;
using Microsoft.Extensions.DependencyInjection;

namespace CodeGraphRag.Cli.Commands;

/// <summary>
/// <c>cgr export-feedback [--texts]</c>: the server's query log and feedback (under the data directory) as
/// (query, positive, hard negative) JSONL on stdout, for fine-tuning the embedding model; <c>--texts</c> adds the chunk
/// texts from the index.
/// </summary>
internal static class ExportFeedbackCommand
{
    public static readonly IReadOnlySet<string> Values = new HashSet<string>(StringComparer.Ordinal);
    public static readonly IReadOnlySet<string> Flags = new HashSet<string>(StringComparer.Ordinal) { "texts" };

    public static async Task<int> RunAsync(ParsedArgs args, TextWriter stdout, CancellationToken cancellationToken)
    {
        var dataDirectory = Hosting.DataDirectory.Resolve(args.Value("data-dir"));
        var logDirectory = QueryLogFiles.DirectoryOf(dataDirectory);
        if (!Directory.Exists(logDirectory))
        {
            throw new CliException($"no query log in '{logDirectory}': it is written by 'cgr serve' for Search and GetContext calls on this data directory");
        }

        var exporter = new TrainingTripletExporter();
        int written;
        if (args.Flag("texts"))
        {
            await using var session = await EmbeddedSession.StartAsync(args, readOnly: true, cancellationToken);
            written = await exporter.ExportAsync(logDirectory, stdout, session.Services.GetRequiredService<IChunkStore>(), cancellationToken);
        }
        else
        {
            written = await exporter.ExportAsync(logDirectory, stdout, null, cancellationToken);
        }

        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"cgr: {written} triples"));
        return 0;
    }
}
