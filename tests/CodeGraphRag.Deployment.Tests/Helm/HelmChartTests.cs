using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CodeGraphRag.Deployment.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;
using Json.Schema;

namespace CodeGraphRag.Deployment.Tests.Helm;

[Trait("Category", TestCategories.Unit)]
public sealed partial class HelmChartTests
{
    private static readonly JsonSchema Schema = JsonSchema.FromText(RepositoryRoot.ReadText(HelmChart.Folder, "values.schema.json"));

    [Fact]
    public void ValuesYaml_IsValidAgainstTheSchema()
    {
        var result = Evaluate(ToJson(HelmChart.Values));

        Assert.True(result.IsValid, Describe(result));
    }

    [Theory]
    [InlineData("image.tag", "\"latest\"")]
    [InlineData("roles.embedder.gpu.image.tag", "\"latest\"")]
    [InlineData("auth.mode", "\"Basic\"")]
    [InlineData("roles.embedder.gpu.count", "0")]
    [InlineData("roles.query.replicas", "\"two\"")]
    [InlineData("server.grpcPort", "70000")]
    [InlineData("embedding.model", "\"bert-large\"")]
    [InlineData("storage.milvus.collection", "\"code-chunks\"")]
    [InlineData("storage.dataDirectory", "\"/data\"")]
    [InlineData("roles.query.autoscaling.targetCPUUtilizationPercentage", "150")]
    [InlineData("redisPassword", "\"hunter22\"")]
    [InlineData("roles.indexer.unknownSetting", "true")]
    public void InvalidValues_AreRejected(string path, string json)
    {
        var values = ToJson(HelmChart.Values).AsObject();
        var keys = path.Split('.');
        var parent = keys[..^1].Aggregate((JsonNode)values, (node, key) => node[key]!);
        parent[keys[^1]] = JsonNode.Parse(json);

        Assert.False(Evaluate(values).IsValid, $"values with {path}={json} passed the schema");
    }

    [Fact]
    public void Schema_RequiresEveryTopLevelSectionOfValues()
    {
        var values = ToJson(HelmChart.Values).AsObject();
        values.Remove("existingSecret");

        Assert.False(Evaluate(values).IsValid);
    }

    [Fact]
    public void ValuesYaml_EverySettingIsDocumented()
    {
        var undocumented = new List<string>();
        var stack = new Stack<(int Indent, bool Documented)>();
        var previousIsComment = false;
        var commentBlock = string.Empty;
        var lines = RepositoryRoot.ReadText(HelmChart.Folder, "values.yaml").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = KeyLine().Match(lines[i]);
            if (match.Success)
            {
                var indent = match.Groups["indent"].Length;
                while (stack.Count > 0 && stack.Peek().Indent >= indent)
                {
                    stack.Pop();
                }

                var documented = (previousIsComment && commentBlock.StartsWith("# --", StringComparison.Ordinal)) || stack.Any(s => s.Documented);
                var hasInlineValue = match.Groups["value"].Value.Trim().Length > 0;
                if (hasInlineValue && !documented)
                {
                    undocumented.Add($"line {i + 1}: {lines[i].Trim()}");
                }

                stack.Push((indent, documented));
            }

            var line = lines[i].Trim();
            if (line.StartsWith('#'))
            {
                commentBlock = previousIsComment ? commentBlock : line;
                previousIsComment = true;
            }
            else
            {
                previousIsComment = false;
            }
        }

        Assert.Empty(undocumented);
    }

    [Fact]
    public void Templates_ReferenceOnlyValuesThatExist()
    {
        var references = HelmChart.Templates()
            .SelectMany(t => ValuesReference().Matches(t.Text).Select(m => (t.Name, Path: m.Groups[1].Value.TrimStart('.'))))
            .ToList();
        var roleReferences = HelmChart.Templates()
            .SelectMany(t => RoleSettingsReference().Matches(t.Text).Select(m => (t.Name, Path: m.Groups[1].Value.TrimStart('.'))))
            .ToList();

        Assert.NotEmpty(references);
        Assert.NotEmpty(roleReferences);
        Assert.All(references, r => HelmChart.Value(r.Path));
        foreach (var (_, path) in roleReferences)
        {
            var roles = path.StartsWith("gpu", StringComparison.Ordinal) ? ["embedder"] : HelmChart.Roles;
            Assert.All(roles, role => HelmChart.Value($"roles.{role}.{path}"));
        }
    }

    [Fact]
    public void Templates_ActionBlocksAreBalanced()
    {
        foreach (var (name, text) in HelmChart.Templates())
        {
            var depth = 0;
            foreach (Match action in TemplateAction().Matches(text))
            {
                var word = action.Groups["word"].Value;
                depth += word switch
                {
                    "if" or "range" or "with" or "define" or "block" => 1,
                    "end" => -1,
                    _ => 0,
                };
                Assert.True(depth >= 0, $"{name}: 'end' without an open block before offset {action.Index}");
            }

            Assert.True(depth == 0, $"{name}: {depth} block(s) left open");
            Assert.Equal(text.Split("{{").Length, text.Split("}}").Length);
        }
    }

    [Fact]
    public void Templates_CoverTheBaselineObjectKinds()
    {
        var kinds = HelmChart.Templates().SelectMany(t => KindLine().Matches(t.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(KubernetesBaseline.Objects.Select(o => o.Kind).Where(k => k != "Namespace").ToHashSet(StringComparer.Ordinal), kinds);
        Assert.Contains(HelmChart.Templates(), t => t.Name == "_helpers.tpl");
        Assert.Contains(HelmChart.Templates(), t => t.Name == "NOTES.txt");
    }

    [Fact]
    public void Chart_IsAnApplicationChart_WhoseAppVersionIsTheImageTag()
    {
        Assert.Equal("v2", Yaml.Text(HelmChart.Chart["apiVersion"]));
        Assert.Equal("application", Yaml.Text(HelmChart.Chart["type"]));
        Assert.Equal("codegraphrag", Yaml.Text(HelmChart.Chart["name"]));
        Assert.Matches(@"^\d+\.\d+\.\d+", Yaml.Text(HelmChart.Chart["version"]));
        Assert.Equal(HelmChart.ValueText("image.tag"), Yaml.Text(HelmChart.Chart["appVersion"]));
        Assert.StartsWith(HelmChart.ValueText("image.tag"), HelmChart.ValueText("roles.embedder.gpu.image.tag"), StringComparison.Ordinal);
    }

    private static EvaluationResults Evaluate(JsonNode values) =>
        Schema.Evaluate(JsonSerializer.SerializeToElement(values), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Describe(EvaluationResults result) =>
        string.Join("; ", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    private static JsonNode ToJson(object? value) => value switch
    {
        null => JsonValue.Create((string?)null)!,
        Dictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, kv.Value is null ? null : ToJson(kv.Value)))),
        List<object?> list => new JsonArray(list.Select(v => v is null ? null : ToJson(v)).ToArray()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        _ => throw new ArgumentException($"unexpected YAML value {value.GetType()}", nameof(value)),
    };

    [GeneratedRegex(@"^(?<indent>\s*(?:-\s+)?)[A-Za-z0-9_.\-/""]+:(?<value>(?:\s+[^#].*)?)\s*(?:#.*)?$")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\$settings((?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex RoleSettingsReference();

    [GeneratedRegex(@"\{\{-?\s*(?<word>[a-z]+)\b")]
    private static partial Regex TemplateAction();

    [GeneratedRegex(@"^kind:\s*(\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
