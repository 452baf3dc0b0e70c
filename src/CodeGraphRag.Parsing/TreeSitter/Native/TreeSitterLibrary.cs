using System.Reflection;
using System.Runtime.InteropServices;

namespace CodeGraphRag.Parsing.TreeSitter.Native;

/// <summary>Finds <c>libcgr_treesitter.so</c> next to the application or this assembly.</summary>
internal static class TreeSitterLibrary
{
    private static int _registered;

    /// <summary>Registers the resolver once per process; later calls do nothing.</summary>
    public static void EnsureResolver()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 1)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(TreeSitterLibrary).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // CGR: another component already registered a resolver for this assembly; the default probing still applies.
        }
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != TsNative.Library)
        {
            return 0;
        }

        var fileName = OperatingSystem.IsWindows() ? "cgr_treesitter.dll"
            : OperatingSystem.IsMacOS() ? "libcgr_treesitter.dylib"
            : "libcgr_treesitter.so";
        foreach (var dir in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(assembly.Location) })
        {
            if (!string.IsNullOrEmpty(dir) && NativeLibrary.TryLoad(Path.Combine(dir, fileName), out var handle))
            {
                return handle;
            }
        }

        return NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var fallback) ? fallback : 0;
    }
}
