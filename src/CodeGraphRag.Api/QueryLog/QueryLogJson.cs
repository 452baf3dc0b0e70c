using System.Text.Json;
using System.Text.Json.Serialization;

namespace CodeGraphRag.Api.QueryLog;

/// <summary>The JSON shape of query log, feedback and triplet lines.</summary>
internal static class QueryLogJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = false,
    };
}
