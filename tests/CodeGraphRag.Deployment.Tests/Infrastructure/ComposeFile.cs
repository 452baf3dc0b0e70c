using System.Text.RegularExpressions;

namespace CodeGraphRag.Deployment.Tests.Infrastructure;

/// <summary>A docker compose file as compose reads it (anchors and merge keys applied, variables not substituted).</summary>
internal sealed partial class ComposeFile
{
    public const string ServerImageRepository = "codegraphrag/server";

    public ComposeFile(string name)
    {
        Name = name;
        Document = Yaml.LoadSingle(RepositoryRoot.PathOf(name));
        Services = Yaml.Map(Document["services"], $"{name} services")
            .ToDictionary(kv => kv.Key, kv => Yaml.Map(kv.Value, $"{name} service {kv.Key}"), StringComparer.Ordinal);
    }

    public static ComposeFile Main { get; } = new("docker-compose.yml");

    public static ComposeFile Gpu { get; } = new("docker-compose.gpu.yml");

    public string Name { get; }

    public Dictionary<string, object?> Document { get; }

    public Dictionary<string, Dictionary<string, object?>> Services { get; }

    public IEnumerable<KeyValuePair<string, Dictionary<string, object?>>> ServerServices =>
        Services.Where(s => Yaml.Text(s.Value.GetValueOrDefault("image"))?.StartsWith(ServerImageRepository + ":", StringComparison.Ordinal) == true);

    /// <summary>A service's environment in either compose form (mapping, or a list of NAME=value).</summary>
    public static Dictionary<string, string?> Environment(Dictionary<string, object?> service)
    {
        return service.GetValueOrDefault("environment") switch
        {
            null => [],
            Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Yaml.Text(kv.Value), StringComparer.Ordinal),
            List<object?> list => list.Select(Yaml.Text).Select(e => e!.Split('=', 2))
                .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : null, StringComparer.Ordinal),
            var other => throw new Xunit.Sdk.XunitException($"environment: unexpected {Yaml.Describe(other)}"),
        };
    }

    /// <summary>Every <c>${VAR...}</c> the file substitutes.</summary>
    public IReadOnlySet<string> SubstitutedVariables() =>
        VariablePattern().Matches(File.ReadAllText(RepositoryRoot.PathOf(Name))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex VariablePattern();
}
