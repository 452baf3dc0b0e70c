namespace CodeGraphRag.Parsing.Chunking;

/// <summary>One line of chunk text: a source line, or a stand-in for an elided member (its signature) that spans the member's lines.</summary>
/// <param name="Text">The text, without a line terminator.</param>
/// <param name="FirstLine">First source line it stands for, 1-based.</param>
/// <param name="LastLine">Last source line it stands for.</param>
/// <param name="Tokens">Tokens in <paramref name="Text"/> (at most the budget plus one).</param>
/// <param name="IsBlank">True when the text has no visible character.</param>
/// <param name="BreakBefore">True when a part may start at this line without overlap (a symbol or section boundary).</param>
internal readonly record struct ChunkLine(string Text, int FirstLine, int LastLine, int Tokens, bool IsBlank, bool BreakBefore);
