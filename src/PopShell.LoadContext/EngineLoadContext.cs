using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace PopShell.LoadContext
{
    /// <summary>
    /// The private load context of PopShell.Engine and of what it ships in the module's
    /// <c>dependencies</c> folder (MailKit, MimeKit, BouncyCastle). Once the engine is loaded here,
    /// .NET asks this context first for each of the engine's references, so another module's MailKit
    /// or MimeKit in the default context is never picked up, and ours never lands there.
    /// </summary>
    internal sealed class EngineLoadContext : AssemblyLoadContext
    {
        readonly string _dependencyFolder;
        readonly string? _readyToRunFolder;

        /// <summary>Creates the context for the assemblies in <paramref name="dependencyFolder"/>.</summary>
        public EngineLoadContext(string dependencyFolder)
            : base("PopShell", isCollectible: false)
        {
            _dependencyFolder = dependencyFolder;
            _readyToRunFolder = ReadyToRunFolder(dependencyFolder);
        }

        /// <summary>
        /// Loads what the module ships, unless the runtime or PowerShell already has it in the same or a
        /// higher version: then the default context's copy is used, so the engine shares framework types
        /// (spans, tasks, cryptography) with everything else. Returning null hands the request to the default context.
        /// </summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string fileName = assemblyName.Name + ".dll";
            string path = Path.Combine(_dependencyFolder, fileName);
            if (!File.Exists(path) || PlatformAssemblies.Provide(assemblyName))
                return null;
            // The same assembly with native code for this runtime and platform, where the module has one.
            if (_readyToRunFolder != null && File.Exists(Path.Combine(_readyToRunFolder, fileName)))
                path = Path.Combine(_readyToRunFolder, fileName);
            return LoadFromAssemblyPath(path);
        }

        /// <summary>
        /// The folder of ReadyToRun images for the runtime major version and platform this process runs
        /// on (<c>dependencies/ReadyToRun/net10.0-linux-x64</c>, say), or null when the module has none.
        /// An image holds the very IL of its twin in <c>dependencies</c> plus code compiled ahead of time,
        /// which spares each new PowerShell process the JIT compilation of the engine, MailKit and MimeKit.
        /// The runtime uses that code only for the major version it was compiled for, hence one folder per version.
        /// </summary>
        static string? ReadyToRunFolder(string dependencyFolder)
        {
            string? os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : null;
            string? arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                _ => null,
            };
            if (os == null || arch == null)
                return null;
            string folder = Path.Combine(dependencyFolder, "ReadyToRun", $"net{Environment.Version.Major}.0-{os}-{arch}");
            return Directory.Exists(folder) ? folder : null;
        }
    }
}
