using System.Runtime.InteropServices;

namespace CodeGraphRag.Sources;

/// <summary>What .NET's public file APIs do not say: whether a path is a regular file (opening a FIFO blocks), and a path's real location.</summary>
internal static partial class FileSystemProbe
{
    // CGR: the runtime's own System.Native shim exposes stat() with a platform-independent layout
    // (Flags, Mode, ...). Its mode uses the portable S_IFMT values below on every Unix.
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private static bool s_nativeUnavailable;

    /// <summary>True when <paramref name="fullPath"/> (following symlinks) is a regular file, or when the type cannot be told (Windows).</summary>
    public static bool IsRegularFile(string fullPath)
    {
        if (OperatingSystem.IsWindows() || s_nativeUnavailable)
        {
            return File.Exists(fullPath);
        }

        try
        {
            Span<byte> status = stackalloc byte[512];
            if (Stat(fullPath, ref MemoryMarshal.GetReference(status)) != 0)
            {
                return false;
            }

            var mode = BitConverter.ToInt32(status[4..8]);
            return (mode & FileTypeMask) == RegularFile;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_nativeUnavailable = true;
            return File.Exists(fullPath);
        }
    }

    /// <summary>The canonical absolute path (all symlinks resolved), or null when it does not exist or cannot be resolved.</summary>
    public static string? RealPath(string fullPath)
    {
        if (OperatingSystem.IsWindows())
        {
            return RealPathPortable(fullPath);
        }

        var resolved = RealPathNative(fullPath, IntPtr.Zero);
        if (resolved == IntPtr.Zero)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            Free(resolved);
        }
    }

    private static string? RealPathPortable(string fullPath)
    {
        try
        {
            FileSystemInfo info = Directory.Exists(fullPath) ? new DirectoryInfo(fullPath) : new FileInfo(fullPath);
            var target = info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true);
            return target is { Exists: true } ? Path.GetFullPath(target.FullName) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref byte status);

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(IntPtr pointer);
}
