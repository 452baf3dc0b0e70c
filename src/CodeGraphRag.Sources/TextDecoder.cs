using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace CodeGraphRag.Sources;

/// <summary>
/// Decodes source file bytes: UTF-8/UTF-16/UTF-32 detected by their byte order mark; without one, strict UTF-8, and when
/// that fails, Windows-1252 (a superset of Latin-1's printable characters) if every byte is a character there and no
/// control character other than tab, line feed, form feed, vertical tab or carriage return appears (older European
/// source files; detected, never guessed over valid UTF-8).
/// </summary>
/// <remarks>Line endings are kept as they are, so line numbers match the file. Thread-safe.</remarks>
public static class TextDecoder
{
    private static readonly Encoding Windows1252 =
        CodePagesEncodingProvider.Instance.GetEncoding(1252) ?? throw new InvalidOperationException("the Windows-1252 code page is not available");

    private static readonly UnicodeEncoding StrictUtf16Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UnicodeEncoding StrictUtf16Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true);
    private static readonly UTF32Encoding StrictUtf32Le = new(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);
    private static readonly UTF32Encoding StrictUtf32Be = new(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true);

    /// <summary>Decodes <paramref name="bytes"/>; the byte order mark, if any, is not part of <paramref name="text"/>.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="text">The decoded text (empty for an empty file or on failure).</param>
    /// <param name="error">On failure, one line naming the encoding and the byte offset of the first invalid sequence.</param>
    /// <returns>True when the bytes are valid text in the detected encoding.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> bytes, out string text, [NotNullWhen(false)] out string? error)
    {
        error = null;
        text = string.Empty;
        if (bytes.IsEmpty)
        {
            return true;
        }

        // UTF-32 LE's mark starts with UTF-16 LE's, so test it first.
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return TryDecodeWith(StrictUtf32Le, "UTF-32 LE", bytes[4..], 4, 4, out text, out error);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return TryDecodeWith(StrictUtf32Be, "UTF-32 BE", bytes[4..], 4, 4, out text, out error);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return TryDecodeUtf8(bytes[3..], 3, out text, out error);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return TryDecodeWith(StrictUtf16Le, "UTF-16 LE", bytes[2..], 2, 2, out text, out error);
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return TryDecodeWith(StrictUtf16Be, "UTF-16 BE", bytes[2..], 2, 2, out text, out error);
        }

        if (TryDecodeUtf8(bytes, 0, out text, out error))
        {
            return true;
        }

        if (TryDecodeWindows1252(bytes, out var single))
        {
            text = single;
            error = null;
            return true;
        }

        error += " (and not Windows-1252/Latin-1 text)";
        return false;
    }

    private static bool TryDecodeWindows1252(ReadOnlySpan<byte> bytes, out string text)
    {
        text = string.Empty;
        foreach (var b in bytes)
        {
            // CGR: 0x81, 0x8D, 0x8F, 0x90 and 0x9D are no character in Windows-1252 (the code page passes them through as
            // C1 controls); with other controls they mark bytes that are not single-byte text.
            if ((b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or 0x0B or 0x0C or (byte)'\r')) || b is 0x7F or 0x81 or 0x8D or 0x8F or 0x90 or 0x9D)
            {
                return false;
            }
        }

        text = Windows1252.GetString(bytes);
        return true;
    }

    private static bool TryDecodeUtf8(ReadOnlySpan<byte> bytes, int bomLength, out string text, [NotNullWhen(false)] out string? error)
    {
        // A UTF-8 sequence never yields more UTF-16 code units than it has bytes.
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(bytes.Length, 1));
        try
        {
            var status = Utf8.ToUtf16(bytes, buffer, out var read, out var written, replaceInvalidSequences: false, isFinalBlock: true);
            if (status != OperationStatus.Done)
            {
                text = string.Empty;
                error = string.Create(CultureInfo.InvariantCulture, $"invalid UTF-8 at byte offset {read + bomLength}");
                return false;
            }

            text = new string(buffer, 0, written);
            error = null;
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static bool TryDecodeWith(
        Encoding encoding, string name, ReadOnlySpan<byte> bytes, int bomLength, int unit, out string text, [NotNullWhen(false)] out string? error)
    {
        text = string.Empty;
        if (bytes.Length % unit != 0)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"invalid {name}: {bytes.Length + bomLength} bytes is not a whole number of {unit}-byte units");
            return false;
        }

        try
        {
            text = encoding.GetString(bytes);
            error = null;
            return true;
        }
        catch (DecoderFallbackException ex)
        {
            var offset = ex.Index >= 0 ? ex.Index + bomLength : bomLength;
            error = string.Create(CultureInfo.InvariantCulture, $"invalid {name} at byte offset {offset}");
            return false;
        }
    }
}
