using CodeGraphRag.Api.Mcp;
using ModelContextProtocol.Protocol;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers CodeGraphRag's MCP tools on an MCP server.</summary>
public static class CodeGraphRagMcpServerBuilderExtensions
{
    /// <summary>Instructions sent to clients at initialization.</summary>
    public const string Instructions = """
        CodeGraphRag indexes code repositories and answers with the right code plus the code around it. Start with
        search_code (or get_context to get prompt-ready code within a token budget); follow a hit with get_symbol for its
        callers, callees and parents; list_repositories gives the names the repo arguments take. Administrators can index a
        folder with index_repository and bring one up to date with sync_repository.
        """;

    /// <summary>
    /// Adds the tools (search_code, get_context, get_symbol, list_repositories, index_status, and for administrators
    /// index_repository and sync_repository); they reach the index through the
    /// <see cref="IMcpIndex"/> the host registers.
    /// </summary>
    public static IMcpServerBuilder WithCodeGraphRagTools(this IMcpServerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithTools<CodeGraphRagTools>();
    }

    /// <summary>This server's name and version as MCP clients see them.</summary>
    public static Implementation ServerInfo { get; } = new()
    {
        Name = "codegraphrag",
        Title = "CodeGraphRag",
        Version = typeof(CodeGraphRagTools).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
    };
}
