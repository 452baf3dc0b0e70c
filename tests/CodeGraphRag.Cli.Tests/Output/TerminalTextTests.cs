using CodeGraphRag.Cli.Output;
using CodeGraphRag.TestInfrastructure;

namespace CodeGraphRag.Cli.Tests.Output;

[Trait("Category", TestCategories.Unit)]
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("title\u001b]0;pwned\u0007 here", "title\\x1B]0;pwned\\x07 here")]
    [InlineData("clear\u001b[2J\u001b[H", "clear\\x1B[2J\\x1B[H")]
    [InlineData("\u001b]8;;https://evil.example\u001b\\\\link\u001b]8;;\u001b\\\\", "\\x1B]8;;https://evil.example\\x1B\\\\link\\x1B]8;;\\x1B\\\\")]
    [InlineData("over\rwrite", "over\\x0Dwrite")]
    [InlineData("c1\u009bcsi", "c1\\x9Bcsi")]
    [InlineData("bidi \u202Eevil\u2066x\u2069", "bidi \\u202Eevil\\u2066x\\u2069")]
    public void Neutralize_ControlAndBidiCharacters_ShownEscaped(string text, string expected)
        => Assert.Equal(expected, TerminalText.Neutralize(text));

    [Fact]
    public void Neutralize_PlainCodeWithTabsNewlinesAndCrlf_Unchanged()
    {
        const string Code = "def f():\r\n\treturn 'héllo'\n";
        Assert.Same(Code, TerminalText.Neutralize(Code));
    }
}
