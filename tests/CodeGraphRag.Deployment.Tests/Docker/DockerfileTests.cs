using System.Text.RegularExpressions;
using CodeGraphRag.Deployment.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Deployment.Tests.Docker;

[Trait("Category", TestCategories.Unit)]
public sealed partial class DockerfileTests
{
    private const string Cpu = "server.Dockerfile";
    private const string Cuda = "server-cuda.Dockerfile";

    public static TheoryData<string> Dockerfiles => new() { Cpu, Cuda };

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void BaseImages_ArePinned(string name)
    {
        var dockerfile = Dockerfile.Load(name);

        Assert.NotEmpty(dockerfile.Stages);
        foreach (var stage in dockerfile.Stages.Where(s => !dockerfile.Stages.Any(o => o.Alias == s.Image)))
        {
            ImageReference.AssertPinned(stage.Image, $"{name}: FROM {stage.Image}");
        }
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void BuildStage_InstallsNativeToolchain_AndPublishesTheServer(string name)
    {
        var build = Dockerfile.Load(name).Stages[0];

        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:10.0", build.Image, StringComparison.Ordinal);
        Assert.All(new[] { "gcc", "make", "npm" }, tool => Assert.Matches($@"apt-get install[^\n]*\b{tool}\b", build.Text));
        Assert.Contains("dotnet publish src/CodeGraphRag.Server/CodeGraphRag.Server.csproj", build.Text, StringComparison.Ordinal);
        Assert.Contains("libcgr_treesitter.so", build.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void RuntimeStage_IsNonRoot_ExposesServerPorts_AndChecksHealth(string name)
    {
        var runtime = Dockerfile.Load(name).Stages[^1];
        var exposed = runtime.Instructions("EXPOSE").SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        var user = Assert.Single(runtime.Instructions("USER"));

        Assert.Superset(new HashSet<string>(["5000", "8080", "11111", "30000"], StringComparer.Ordinal), exposed);
        Assert.DoesNotContain(user, new[] { "root", "0", "0:0" });
        Assert.Contains("/health/", Assert.Single(runtime.Instructions("HEALTHCHECK")), StringComparison.Ordinal);
        Assert.Contains("libgomp1", runtime.Text, StringComparison.Ordinal);
        Assert.Contains("CodeGraphRag.Server.dll", Assert.Single(runtime.Instructions("ENTRYPOINT")), StringComparison.Ordinal);
    }

    [Fact]
    public void CpuImage_RunsOnTheAspNetRuntime()
    {
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", Dockerfile.Load(Cpu).Stages[^1].Image, StringComparison.Ordinal);
        Assert.DoesNotContain("CgrOnnxFlavor", Dockerfile.Load(Cpu).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaImage_PublishesCudaFlavour_OnCuda13CudnnRuntime_WithAspNetRuntime()
    {
        var dockerfile = Dockerfile.Load(Cuda);
        var runtime = dockerfile.Stages[^1];
        var aspnet = Assert.Single(dockerfile.Stages, s => s.Image.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", StringComparison.Ordinal));

        Assert.Matches(@"dotnet publish[^\n]*(\\\n[^\n]*)*-p:CgrOnnxFlavor=cuda", dockerfile.Stages[0].Text);
        Assert.Matches(@"^nvidia/cuda:13\.[0-9.]+-cudnn-runtime-", runtime.Image);
        Assert.Contains($"COPY --from={aspnet.Alias} /usr/share/dotnet", runtime.Text, StringComparison.Ordinal);
        Assert.Contains("CodeGraphRag__Embedding__Device=cuda", runtime.Text, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void ServerVariables_BelongToTheConfigurationContract(string name)
    {
        var names = EnvName().Matches(Dockerfile.Load(name).Text).Select(m => m.Groups[1].Value);

        Assert.All(names.Where(n => n.StartsWith("CodeGraphRag__", StringComparison.Ordinal) || n.StartsWith("CGR_", StringComparison.Ordinal)),
            n => Assert.True(ConfigurationContract.IsServerVariable(n), $"{name} sets {n}, which is not in the configuration contract"));
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputsAndSecretsOutOfTheContext()
    {
        var entries = RepositoryRoot.ReadText(".dockerignore").Split('\n').Select(l => l.Trim()).ToHashSet(StringComparer.Ordinal);

        Assert.Superset(new HashSet<string>(["**/bin/", "**/obj/", ".native/", ".git/", ".env"], StringComparer.Ordinal), entries);
    }

    [GeneratedRegex(@"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex EnvName();

    private sealed partial record Dockerfile(string Text, IReadOnlyList<Stage> Stages)
    {
        public static Dockerfile Load(string name)
        {
            var text = RepositoryRoot.ReadText("deploy", "docker", name);
            var args = ArgDefault().Matches(text).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
            var froms = FromLine().Matches(text).ToList();
            var stages = froms.Select((m, i) => new Stage(
                Resolve(m.Groups["image"].Value, args),
                m.Groups["alias"].Success ? m.Groups["alias"].Value : null,
                text[m.Index..(i + 1 < froms.Count ? froms[i + 1].Index : text.Length)])).ToList();
            return new Dockerfile(text, stages);
        }

        private static string Resolve(string image, Dictionary<string, string> args) =>
            ArgReference().Replace(image, m => args.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

        [GeneratedRegex(@"^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S+)\s*$", RegexOptions.Multiline)]
        private static partial Regex ArgDefault();

        [GeneratedRegex(@"^FROM\s+(?<image>\S+)(?:\s+AS\s+(?<alias>\S+))?\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
        private static partial Regex FromLine();

        [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")]
        private static partial Regex ArgReference();
    }

    private sealed record Stage(string Image, string? Alias, string Text)
    {
        /// <summary>Arguments of every instruction of that name, with line continuations joined.</summary>
        public IEnumerable<string> Instructions(string instruction) =>
            Text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
                .Where(l => l.StartsWith(instruction + " ", StringComparison.Ordinal))
                .Select(l => l[(instruction.Length + 1)..].Trim());
    }
}
