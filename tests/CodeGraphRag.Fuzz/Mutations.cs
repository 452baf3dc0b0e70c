using System.Text;

namespace CodeGraphRag.Fuzz;

/// <summary>
/// Inputs made from the seeds by up to eight random edits: bit flips, random or interesting bytes inserted or
/// overwritten, ranges deleted or duplicated, splices of two seeds, and tokens that parsers and pattern matchers treat
/// specially (quotes, brackets, comment and string openers, escapes, separators, invalid UTF-8, long runs).
/// </summary>
public static class Mutations
{
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\"", "'", "`", "\"\"\"", "'''", "(", ")", "[", "]", "{", "}", "<", ">", "/*", "*/", "//", "#", "--", "\\", "\\u", "\\x",
            "\n", "\r\n", "\r", "\t", " ", ":", "=", "@", "://", "-p", "-u", "password=", "AKIA", "repo:", "lang:", "path:", "kind:",
            "-kind:", "`Foo.bar`", "def ", "class ", "function ", "func ", "import ", "#include ", "<?php", "{\"id\":", "\"gold\":[",
            "sha256=", "\u00e9", "\u202e", "\u0000", "\ud83d\ude00",
        }.Select(Encoding.UTF8.GetBytes),
        [0xFF], [0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0x80],
    ];

    /// <summary>A mutated copy of one seed, possibly spliced with another, made with <paramref name="random"/>.</summary>
    public static byte[] Next(IReadOnlyList<byte[]> seeds, Random random)
    {
        var seed = seeds[random.Next(seeds.Count)];
        var other = seeds[random.Next(seeds.Count)];
        return Mutate(seed, other, 1 + random.Next(8), random);
    }

    private static byte[] Mutate(byte[] seed, byte[] other, int edits, Random random)
    {
        var data = new List<byte>(seed);
        int Next(int bound) => bound <= 0 ? 0 : random.Next(bound);
        for (var i = 0; i < edits; i++)
        {
            switch (Next(8))
            {
                case 0 when data.Count > 0:
                    var at = Next(data.Count);
                    data[at] ^= (byte)(1 << Next(8));
                    break;
                case 1:
                    data.Insert(Next(data.Count + 1), (byte)Next(256));
                    break;
                case 2:
                    data.InsertRange(Next(data.Count + 1), Tokens[Next(Tokens.Length)]);
                    break;
                case 3 when data.Count > 0:
                    var start = Next(data.Count);
                    data.RemoveRange(start, Math.Min(data.Count - start, 1 + Next(64)));
                    break;
                case 4 when data.Count > 0:
                    var from = Next(data.Count);
                    var length = Math.Min(data.Count - from, 1 + Next(256));
                    data.InsertRange(Next(data.Count + 1), data.GetRange(from, length));
                    break;
                case 5 when other.Length > 0:
                    var cut = Next(data.Count + 1);
                    data.RemoveRange(cut, data.Count - cut);
                    data.AddRange(other.AsSpan(Next(other.Length)).ToArray());
                    break;
                case 6:
                    var token = Tokens[Next(Tokens.Length)];
                    var repeat = 1 + Next(400);
                    var at2 = Next(data.Count + 1);
                    for (var r = 0; r < repeat; r++)
                    {
                        data.InsertRange(at2, token);
                    }

                    break;
                default:
                    if (data.Count > 0)
                    {
                        data[Next(data.Count)] = (byte)Next(256);
                    }

                    break;
            }
        }

        return [.. data];
    }
}
