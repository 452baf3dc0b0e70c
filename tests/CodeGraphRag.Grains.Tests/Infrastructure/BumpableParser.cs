using CodeGraphRag.Abstractions.Parsing;

namespace CodeGraphRag.Grains.Tests.Infrastructure;

/// <summary>The real parser with a per-language version suffix a test can bump (a changed grammar or chunker).</summary>
internal sealed class BumpableParser(ICodeParser inner) : ICodeParser
{
    private readonly Dictionary<string, int> _bumps = [];

    public void Bump(string language)
    {
        lock (_bumps)
        {
            _bumps[language] = _bumps.GetValueOrDefault(language) + 1;
        }
    }

    public string GetVersion(string language)
    {
        lock (_bumps)
        {
            return inner.GetVersion(language) + "+" + _bumps.GetValueOrDefault(language);
        }
    }

    public ParsedFile Parse(string path, string text, CancellationToken cancellationToken = default) => inner.Parse(path, text, cancellationToken);
}
