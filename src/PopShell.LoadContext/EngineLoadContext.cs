using System.IO;
using System.Reflection;
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

        /// <summary>Creates the context for the assemblies in <paramref name="dependencyFolder"/>.</summary>
        public EngineLoadContext(string dependencyFolder)
            : base("PopShell", isCollectible: false)
        {
            _dependencyFolder = dependencyFolder;
        }

        /// <summary>
        /// Loads what the module ships, unless the runtime or PowerShell already has it in the same or a
        /// higher version: then the default context's copy is used, so the engine shares framework types
        /// (spans, tasks, cryptography) with everything else. Returning null hands the request to the default context.
        /// </summary>
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string path = Path.Combine(_dependencyFolder, assemblyName.Name + ".dll");
            if (!File.Exists(path) || PlatformAssemblies.Provide(assemblyName))
                return null;
            return LoadFromAssemblyPath(path);
        }
    }
}
