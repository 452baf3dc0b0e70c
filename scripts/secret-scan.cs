// Measures the secret redactor on a real tree, as docs/benchmarks.md ("Secret detection") reports it:
//   dotnet run -c Release scripts/secret-scan.cs -- <root> [<root> ...]
// Each root is walked like a working tree (default snapshot options), every candidate file is decoded, redacted whole as
// FileGrain does and parsed with the default parser. Prints one line per redacted line (to classify by hand) and a total.
#:project ../src/CodeGraphRag.Parsing/CodeGraphRag.Parsing.csproj
#:project ../src/CodeGraphRag.Sources/CodeGraphRag.Sources.csproj
#:package Microsoft.Extensions.DependencyInjection
using System.Globalization;
using CodeGraphRag.Abstractions.Parsing;
using CodeGraphRag.Parsing.Secrets;
using CodeGraphRag.Sources;
using Microsoft.Extensions.DependencyInjection;

var services = new ServiceCollection();
services.AddCodeGraphRagParsing();
using var provider = services.BuildServiceProvider();
var parser = provider.GetRequiredService<ICodeParser>();
var redactor = new SecretRedactor();
long bytes = 0, files = 0, findings = 0, chunks = 0, redactedChunks = 0;
foreach (var root in args)
{
    await using var snapshot = new WorkingTreeSnapshot(root);
    await foreach (var entry in snapshot.EnumerateAsync())
    {
        if (!entry.IsCandidate || entry.IsDirectory)
        {
            continue;
        }

        byte[] content;
        try
        {
            content = await snapshot.ReadAsync(entry);
        }
        catch (SourceReadException)
        {
            continue;
        }

        if (!TextDecoder.TryDecode(content, out var text, out _))
        {
            continue;
        }

        files++;
        bytes += content.Length;
        var result = redactor.Redact(text);
        var parsed = parser.Parse(entry.Path, result.Text);
        chunks += parsed.Chunks.Count;
        redactedChunks += parsed.Chunks.Count(c => c.Text.Contains("[REDACTED:", StringComparison.Ordinal));
        findings += result.Findings.Count;
        var lines = result.Text.Split('\n');
        for (var i = 0; i < lines.Length && result.Findings.Count > 0; i++)
        {
            if (lines[i].Contains("[REDACTED:", StringComparison.Ordinal))
            {
                var line = lines[i].Trim();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(root))}/{entry.Path}:{i + 1}: {(line.Length > 200 ? line[..200] : line)}"));
            }
        }
    }
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"total: {files} files, {bytes / 1e6:F1} MB, {chunks} chunks, {findings} findings, {redactedChunks} chunks redacted"));
