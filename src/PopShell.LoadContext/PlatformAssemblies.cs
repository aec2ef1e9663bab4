using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace PopShell.LoadContext
{
    /// <summary>
    /// The host's trusted platform assemblies: the .NET runtime and PowerShell's own assemblies.
    /// The module's <c>dependencies</c> folder also holds the netstandard2.0 polyfills that Windows
    /// PowerShell needs (System.Memory, System.Buffers, …); on PowerShell 7 the platform's versions
    /// must win over those, or the engine would see a second, incompatible Span.
    /// </summary>
    internal static class PlatformAssemblies
    {
        static readonly Lazy<Dictionary<string, string>> PathsByName = new(ReadTrustedPlatformAssemblies);

        /// <summary>True when the platform has <paramref name="assemblyName"/> in at least the requested version.</summary>
        public static bool Provide(AssemblyName assemblyName)
        {
            if (assemblyName.Name == null || !PathsByName.Value.TryGetValue(assemblyName.Name, out string? path))
                return false;
            Version platformVersion = AssemblyName.GetAssemblyName(path).Version ?? new Version();
            return platformVersion >= (assemblyName.Version ?? new Version());
        }

        static Dictionary<string, string> ReadTrustedPlatformAssemblies()
        {
            var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            string list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
                paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            return paths;
        }
    }
}
