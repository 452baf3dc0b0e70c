using System.Buffers.Binary;
using System.Text;

namespace CodeGraphRag.TestInfrastructure;

/// <summary>Damages SQLite database files the way a disk fault or a stray write does, byte by byte (no SQLite involved).</summary>
public static class DatabaseDamage
{
    private static readonly byte[] Garbage = Encoding.ASCII.GetBytes("GARBAGE!");

    /// <summary>
    /// Overwrites the table b-tree page nearest the middle of the file (searching forward, then back) with garbage and
    /// returns its page number. A table page is one every query of that table reads, so the damage cannot hide in free space.
    /// </summary>
    public static int GarbleMiddleTablePage(string databasePath)
    {
        var bytes = File.ReadAllBytes(databasePath);
        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(16, 2)) is var raw && raw == 1 ? 65536 : raw;
        var pages = bytes.Length / pageSize;
        var middle = pages / 2;
        foreach (var page in Enumerable.Range(middle, pages - middle).Concat(Enumerable.Range(2, Math.Max(0, middle - 2)).Reverse()))
        {
            // Page types: 0x0D leaf table, 0x05 interior table (page numbers are 1-based; page 1 holds the 100-byte header).
            if (bytes[(page - 1) * pageSize] is 0x0D or 0x05)
            {
                Overwrite(databasePath, (long)(page - 1) * pageSize, pageSize);
                return page;
            }
        }

        throw new InvalidOperationException($"'{databasePath}' has no table b-tree page past page 1.");
    }

    /// <summary>Overwrites page <paramref name="page"/> (1-based) with garbage.</summary>
    public static void GarblePage(string databasePath, int page)
    {
        var header = new byte[18];
        using (var stream = File.OpenRead(databasePath))
        {
            stream.ReadExactly(header);
        }

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16, 2)) is var raw && raw == 1 ? 65536 : raw;
        Overwrite(databasePath, (long)(page - 1) * pageSize, pageSize);
    }

    /// <summary>Overwrites the 100-byte file header: SQLite then reports the file is not a database.</summary>
    public static void GarbleHeader(string databasePath) => Overwrite(databasePath, 0, 100);

    /// <summary>Cuts <paramref name="path"/> to half its length.</summary>
    public static void Truncate(string path)
    {
        var before = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.SetLength(stream.Length / 2);
        }

        LaterThan(path, before);
    }

    private static void Overwrite(string path, long offset, int length)
    {
        var garbage = new byte[length];
        for (var i = 0; i < length; i++)
        {
            garbage[i] = Garbage[i % Garbage.Length];
        }

        var before = File.GetLastWriteTimeUtc(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = offset;
            stream.Write(garbage);
        }

        LaterThan(path, before);
    }

    /// <summary>
    /// File systems stamp writes with a coarse clock (one kernel tick), so a write right after a clean close can keep the
    /// time it recorded; damage in practice comes later. Move the stamp past the tick, as a later write would.
    /// </summary>
    private static void LaterThan(string path, DateTime before)
    {
        if (File.GetLastWriteTimeUtc(path) <= before)
        {
            File.SetLastWriteTimeUtc(path, before.AddSeconds(1));
        }
    }
}
