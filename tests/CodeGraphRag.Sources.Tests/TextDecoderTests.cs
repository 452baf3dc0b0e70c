using System.Text;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Sources.Tests;

[Trait("Category", TestCategories.Unit)]
public sealed class TextDecoderTests
{
    private const string Sample = "def f():\r\n    return \"héllo ✓ 𝄞\"\n";

    [Fact]
    public void TryDecode_Empty_ReturnsEmptyString()
    {
        Assert.True(TextDecoder.TryDecode([], out var text, out var error));
        Assert.Equal(string.Empty, text);
        Assert.Null(error);
    }

    [Fact]
    public void TryDecode_Utf8_KeepsLineEndings()
    {
        Assert.True(TextDecoder.TryDecode(Encoding.UTF8.GetBytes(Sample), out var text, out _));
        Assert.Equal(Sample, text);
    }

    [Fact]
    public void TryDecode_Utf8WithBom_StripsBom()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(Sample)).ToArray();

        Assert.True(TextDecoder.TryDecode(bytes, out var text, out _));
        Assert.Equal(Sample, text);
    }

    [Theory]
    [InlineData("utf-16le")]
    [InlineData("utf-16be")]
    [InlineData("utf-32le")]
    [InlineData("utf-32be")]
    public void TryDecode_WideEncodingWithBom_Decodes(string name)
    {
        var encoding = name switch
        {
            "utf-16le" => (Encoding)new UnicodeEncoding(false, true),
            "utf-16be" => new UnicodeEncoding(true, true),
            "utf-32le" => new UTF32Encoding(false, true),
            _ => new UTF32Encoding(true, true),
        };
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(Sample)).ToArray();

        Assert.True(TextDecoder.TryDecode(bytes, out var text, out var error), error);
        Assert.Equal(Sample, text);
    }

    [Fact]
    public void TryDecode_InvalidUtf8AndNotSingleByteText_ReportsByteOffset()
    {
        // 0x81 is no character in Windows-1252, so the fallback does not apply either.
        var bytes = Encoding.UTF8.GetBytes("abc\n").Concat(new byte[] { 0xC3, 0x28, 0x81 }).Concat(Encoding.UTF8.GetBytes("rest")).ToArray();

        Assert.False(TextDecoder.TryDecode(bytes, out var text, out var error));
        Assert.Equal(string.Empty, text);
        Assert.Contains("UTF-8", error, StringComparison.Ordinal);
        Assert.Contains("offset 4", error, StringComparison.Ordinal);
        Assert.Contains("Windows-1252", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_Latin1Source_DecodedNotFailed()
    {
        // A Python file saved as Latin-1 by an older editor: é, ü and ß are single bytes that are invalid UTF-8.
        const string Source = "# Caf\u00e9 M\u00fcller, Stra\u00dfe\r\ndef gr\u00fc\u00dfe():\r\n    return \"\u00a9 2009\"\r\n";
        var bytes = Encoding.Latin1.GetBytes(Source);

        Assert.True(TextDecoder.TryDecode(bytes, out var text, out var error), error);
        Assert.Equal(Source, text);
    }

    [Fact]
    public void TryDecode_Windows1252Quotes_Decoded()
    {
        // 0x93/0x94 are curly quotes and 0x80 the euro sign in Windows-1252 (C1 controls in Latin-1).
        byte[] bytes = [.. Encoding.ASCII.GetBytes("// "), 0x93, .. Encoding.ASCII.GetBytes("price"), 0x94, .. Encoding.ASCII.GetBytes(" in "), 0x80, (byte)'\n'];

        Assert.True(TextDecoder.TryDecode(bytes, out var text, out var error), error);
        Assert.Equal("// \u201cprice\u201d in \u20ac\n", text);
    }

    [Fact]
    public void TryDecode_ValidUtf8_NeverReadAsSingleByte()
    {
        const string Source = "// Caf\u00e9 \u2014 \u201cquoted\u201d\n";

        Assert.True(TextDecoder.TryDecode(Encoding.UTF8.GetBytes(Source), out var text, out var error), error);
        Assert.Equal(Source, text);
    }

    [Fact]
    public void TryDecode_InvalidUtf8WithControlBytes_NotTakenForSingleByteText()
    {
        byte[] bytes = [(byte)'a', 0xE9, 0x01, 0x02, (byte)'b'];

        Assert.False(TextDecoder.TryDecode(bytes, out _, out var error));
        Assert.Contains("invalid UTF-8 at byte offset 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_Utf8BomThenInvalidByte_OffsetCountsTheBom()
    {
        byte[] bytes = [0xEF, 0xBB, 0xBF, (byte)'a', 0xFF];

        Assert.False(TextDecoder.TryDecode(bytes, out _, out var error));
        Assert.Contains("offset 4", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_Utf16WithOddLength_Fails()
    {
        byte[] bytes = [0xFF, 0xFE, (byte)'a', 0, (byte)'b'];

        Assert.False(TextDecoder.TryDecode(bytes, out _, out var error));
        Assert.Contains("UTF-16 LE", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_Utf16LoneSurrogate_Fails()
    {
        byte[] bytes = [0xFF, 0xFE, (byte)'a', 0, 0x00, 0xD8, (byte)'b', 0];

        Assert.False(TextDecoder.TryDecode(bytes, out _, out var error));
        Assert.Contains("UTF-16 LE", error, StringComparison.Ordinal);
    }
}
