using System.Security.Cryptography;
using System.Text;

namespace CodeGraphRag.Api.Services;

/// <summary>What one request's audit line records; never code, and only a hash and length of query text.</summary>
internal sealed class AuditEntry(string operation)
{
    public string Operation { get; } = operation;

    public string Principal { get; set; } = "unauthenticated";

    public List<string> Repositories { get; } = [];

    public int ResultCount { get; set; }

    public string? QueryHash { get; private set; }

    public int QueryLength { get; private set; }

    public void SetQuery(string query)
    {
        QueryLength = query.Length;
        QueryHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(query)))[..16];
    }
}
