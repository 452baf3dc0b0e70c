using System.Security.Cryptography;
using System.Text;

namespace CodeGraphRag.Abstractions.Storage;

/// <summary>Content-derived ids and hashes shared by every backend.</summary>
public static class ChunkIds
{
    /// <summary>Hex SHA-256 of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Hex SHA-256 of raw bytes.</summary>
    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// The chunk id for the <paramref name="occurrence"/>-th (0-based) chunk with <paramref name="contentHash"/> in the file:
    /// 32 hex characters, stable while the chunk's text is unchanged, whatever its lines.
    /// </summary>
    public static string ChunkId(string repository, string path, string contentHash, int occurrence)
    {
        var key = string.Join('\u001f', repository, path, contentHash, occurrence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 16));
    }
}
