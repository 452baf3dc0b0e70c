using CodeGraphRag.Deployment.Tests.Infrastructure;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Deployment.Tests.Compose;

[Trait("Category", TestCategories.Unit)]
public sealed class ComposeFileTests
{
    private static readonly ComposeFile Compose = ComposeFile.Main;

    public static TheoryData<string> ComposeFiles => new() { "docker-compose.yml", "docker-compose.gpu.yml" };

    [Fact]
    public void Services_BackendsAndServerRoles_ArePresent()
    {
        var images = Compose.Services.ToDictionary(s => s.Key, s => Yaml.Text(s.Value.GetValueOrDefault("image")) ?? string.Empty);

        Assert.Contains(images.Values, i => i.StartsWith("redis:", StringComparison.Ordinal));
        Assert.Contains(images.Values, i => i.StartsWith("milvusdb/milvus:", StringComparison.Ordinal));
        Assert.Contains(images.Values, i => i.Contains("/etcd:", StringComparison.Ordinal));
        Assert.Contains(images.Values, i => i.StartsWith("minio/minio:", StringComparison.Ordinal));
        Assert.Contains(images.Values, i => i.StartsWith("neo4j:5.", StringComparison.Ordinal));
        Assert.Contains(images.Values, i => i.StartsWith("jaegertracing/", StringComparison.Ordinal));
        Assert.Equal(
            ["embedder", "indexer", "query"],
            Compose.ServerServices.Select(s => ComposeFile.Environment(s.Value)["CodeGraphRag__Cluster__Roles"]).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ComposeFiles))]
    public void EveryService_ImageTag_IsPinned(string file)
    {
        foreach (var (name, service) in new ComposeFile(file).Services)
        {
            var image = Yaml.Text(service.GetValueOrDefault("image"));
            Assert.False(image is null, $"{file}: service {name} has no image (a build needs a pinned image name too).");
            ImageReference.AssertPinned(image, $"{file}: service {name}");
        }
    }

    [Fact]
    public void EveryService_Healthcheck_IsDefined()
    {
        foreach (var (name, service) in Compose.Services)
        {
            var test = Yaml.At(service, "healthcheck", "test");
            Assert.False(test is null, $"service {name} has no healthcheck, so `docker compose up --wait` cannot wait for it.");
            Assert.NotEqual(true, Yaml.At(service, "healthcheck", "disable"));
            var words = test is List<object?> list ? list.Select(Yaml.Text).ToList() : [Yaml.Text(test)];
            Assert.DoesNotContain("NONE", words);
            Assert.True(words.Count >= 2 || words[0]!.Length > 0, $"service {name}: empty healthcheck test");
        }
    }

    [Fact]
    public void EveryDependency_WaitsForHealthyService()
    {
        foreach (var (name, service) in Compose.Services)
        {
            if (service.GetValueOrDefault("depends_on") is not { } dependsOn)
            {
                continue;
            }

            foreach (var (target, condition) in Yaml.Map(dependsOn, $"service {name} depends_on (use the long form)"))
            {
                Assert.True(Compose.Services.ContainsKey(target), $"service {name} depends on unknown service {target}.");
                Assert.Equal("service_healthy", Yaml.Text(Yaml.At(condition, "condition")));
            }
        }

        Assert.All(Compose.ServerServices, s => Assert.Equal(
            ["jaeger", "milvus", "neo4j", "redis"],
            Yaml.Map(s.Value["depends_on"], s.Key).Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void EveryVolume_IsNamedAndDeclared_OrReadOnlyBindMount()
    {
        var declared = Yaml.Map(Compose.Document["volumes"], "top-level volumes").Keys.ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (name, service) in Compose.Services)
        {
            foreach (var mount in service.GetValueOrDefault("volumes") as List<object?> ?? [])
            {
                var parts = Yaml.Text(mount)!.Split(':');
                var source = parts[0];
                if (source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('$'))
                {
                    Assert.True(parts[^1] == "ro", $"service {name}: bind mount '{mount}' must be read-only; data goes to named volumes.");
                    continue;
                }

                Assert.True(declared.Contains(source), $"service {name} mounts volume '{source}' that is not declared under volumes:.");
                used.Add(source);
            }
        }

        Assert.Equal(declared.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
        Assert.All(new[] { "redis", "etcd", "minio", "milvus", "neo4j" }, s => Assert.True(
            Compose.Services[s].ContainsKey("volumes"), $"stateful service {s} keeps its data in a named volume"));
    }

    [Theory]
    [MemberData(nameof(ComposeFiles))]
    public void Secrets_AreNeverPlainText(string file)
    {
        foreach (var (name, service) in new ComposeFile(file).Services)
        {
            foreach (var (variable, value) in ComposeFile.Environment(service))
            {
                if (ConfigurationContract.IsSensitive(variable) || value?.Contains("password=", StringComparison.OrdinalIgnoreCase) == true)
                {
                    Assert.True(
                        value?.Contains("${", StringComparison.Ordinal) == true,
                        $"{file}: service {name} sets {variable} to a literal; take it from the environment with ${{VAR:?set VAR}}.");
                }
            }
        }
    }

    [Fact]
    public void RequiredSecrets_FailFastWhenUnset()
    {
        var text = RepositoryRoot.ReadText("docker-compose.yml");

        foreach (var variable in new[] { "REDIS_PASSWORD", "NEO4J_PASSWORD", "MINIO_ROOT_PASSWORD", "CGR_API_KEY" })
        {
            Assert.Contains($"${{{variable}:?", text, StringComparison.Ordinal);
            Assert.DoesNotContain($"${{{variable}:-", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EnvExample_DocumentsEverySubstitutedVariable_WithoutValues()
    {
        var lines = RepositoryRoot.ReadText(".env.example").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var documented = lines.Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var substituted = Compose.SubstitutedVariables().Union(ComposeFile.Gpu.SubstitutedVariables());

        Assert.All(substituted, v => Assert.True(documented.ContainsKey(v), $".env.example does not document {v}."));
        Assert.All(documented, kv => Assert.True(kv.Value.Length == 0, $".env.example must not carry a value for {kv.Key}."));
        Assert.Contains(".env", RepositoryRoot.ReadText(".gitignore").Split('\n').Select(l => l.Trim()));
    }

    [Fact]
    public void ServerEnvironment_UsesOnlyContractVariables()
    {
        foreach (var file in new[] { Compose, ComposeFile.Gpu })
        {
            foreach (var (name, service) in file.ServerServices)
            {
                Assert.All(ComposeFile.Environment(service).Keys, v => Assert.True(
                    ConfigurationContract.IsServerVariable(v), $"{file.Name}: service {name} sets {v}, which the configuration contract does not define."));
            }
        }
    }

    [Fact]
    public void ServerEndpoints_PointAtServicesInTheFile()
    {
        foreach (var (name, service) in Compose.ServerServices)
        {
            var env = ComposeFile.Environment(service);

            Assert.Equal("Redis", env["CodeGraphRag__Cluster__Clustering"]);
            Assert.Equal("redis", HostOf(env["CodeGraphRag__Storage__Redis__ConnectionString"]!.Split(',')[0]));
            Assert.Equal("milvus", HostOf(env["CodeGraphRag__Storage__Milvus__Url"]!));
            Assert.Equal("neo4j", HostOf(env["CodeGraphRag__Storage__Neo4j__Url"]!));
            Assert.True(Compose.Services.ContainsKey(HostOf(env["OTEL_EXPORTER_OTLP_ENDPOINT"]!)), $"{name}: OTLP endpoint is not a service");
            Assert.Equal("codegraphrag-" + env["CodeGraphRag__Cluster__Roles"], env["OTEL_SERVICE_NAME"]);
            Assert.Contains("/health/ready", string.Join(' ', Yaml.Seq(Yaml.At(service, "healthcheck", "test"), name).Select(Yaml.Text)), StringComparison.Ordinal);
        }

        static string HostOf(string endpoint)
        {
            var withoutScheme = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint[(endpoint.IndexOf("://", StringComparison.Ordinal) + 3)..] : endpoint;
            return withoutScheme.Split(':', '/')[0];
        }
    }

    [Fact]
    public void GpuOverride_EmbedderGetsCudaImageDeviceAndGpuReservation()
    {
        var embedder = ComposeFile.Gpu.Services["embedder"];
        var device = Assert.Single(Yaml.Seq(Yaml.At(embedder, "deploy", "resources", "reservations", "devices"), "embedder devices"));

        Assert.Equal(["embedder"], ComposeFile.Gpu.Services.Keys);
        Assert.EndsWith("-cuda", Yaml.Text(embedder["image"]), StringComparison.Ordinal);
        Assert.Equal("deploy/docker/server-cuda.Dockerfile", Yaml.Text(Yaml.At(embedder, "build", "dockerfile")));
        Assert.Equal("cuda", ComposeFile.Environment(embedder)["CodeGraphRag__Embedding__Device"]);
        Assert.Equal("nvidia", Yaml.Text(Yaml.At(device, "driver")));
        Assert.Contains("gpu", Yaml.Seq(Yaml.At(device, "capabilities"), "capabilities").Select(Yaml.Text));
    }

    [Theory]
    [MemberData(nameof(ComposeFiles))]
    public void Builds_ReferenceExistingDockerfiles(string file)
    {
        foreach (var (name, service) in new ComposeFile(file).Services.Where(s => s.Value.ContainsKey("build")))
        {
            var dockerfile = Yaml.Text(Yaml.At(service, "build", "dockerfile"))!;
            Assert.True(File.Exists(RepositoryRoot.PathOf(dockerfile)), $"{file}: service {name} builds from missing {dockerfile}.");
            Assert.Equal(".", Yaml.Text(Yaml.At(service, "build", "context")));
            Assert.True(Yaml.Text(service.GetValueOrDefault("pull_policy")) == "build", $"{file}: service {name} must never pull its image from a registry");
        }
    }
}
