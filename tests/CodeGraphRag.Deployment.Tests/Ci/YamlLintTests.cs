using CodeGraphRag.Deployment.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Deployment.Tests.Ci;

[Trait("Category", TestCategories.Unit)]
public sealed class YamlLintTests
{
    [Fact]
    public void CiRun_InstallsYamllint_AndLintsWithTheCheckedInConfig_BeforeTheTests()
    {
        var script = RepositoryRoot.ReadText(".ci", "run");
        var lint = script.IndexOf("yamllint -c .yamllint .", StringComparison.Ordinal);

        Assert.Contains("missing+=(yamllint)", script, StringComparison.Ordinal);
        Assert.Contains("set -euo pipefail", script, StringComparison.Ordinal);
        Assert.True(lint > 0 && lint < script.IndexOf("bash scripts/test.sh", StringComparison.Ordinal), "yamllint must run (and fail the run) before the tests");
    }

    [Fact]
    public void YamllintConfig_ExcludesOnlyHelmTemplatesAmongDeploymentFiles()
    {
        var config = Yaml.LoadSingle(RepositoryRoot.PathOf(".yamllint"));
        var ignored = (Yaml.Text(config["ignore"]) ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Contains("helm/*/templates/", ignored);
        Assert.DoesNotContain(ignored, i => i.StartsWith("k8s", StringComparison.Ordinal) || i.StartsWith("docker-compose", StringComparison.Ordinal) || i == "helm/");
    }
}
