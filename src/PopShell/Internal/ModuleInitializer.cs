using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;

namespace PopShell.Internal
{
    /// <summary>
    /// Makes the engine and its dependencies (MailKit, MimeKit, BouncyCastle) loadable from the module's
    /// <c>dependencies</c> folder, the way each edition allows, so that another module's copies of them
    /// never meet ours. This assembly itself references only the engine, never MailKit or MimeKit types,
    /// so nothing here needs them before this runs.
    /// </summary>
    /// <remarks>
    /// PowerShell 7: the engine is loaded into a private load context (PopShell.LoadContext.dll), and its
    /// references resolve there first, following "Resolving PowerShell module assembly dependency conflicts"
    /// in the PowerShell docs. This assembly and the types users see stay in the default context, where
    /// PowerShell can see them.
    /// Windows PowerShell 5.1: .NET Framework has no load contexts, so an AssemblyResolve handler loads
    /// from the folder whatever the process does not already have.
    /// </remarks>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        static bool IsNetFramework =>
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal);

        /// <summary>Called by PowerShell when the module is imported.</summary>
        public void OnImport()
        {
            if (IsNetFramework)
                AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;
            else
                RegisterEngineLoadContext();
        }

        /// <summary>
        /// Called by PowerShell when the module is removed. On PowerShell 7 the engine's load context stays:
        /// the default context has already bound the engine to it, and a later import uses it again.
        /// </summary>
        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            if (IsNetFramework)
                AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;
        }

        static void RegisterEngineLoadContext()
        {
            // PopShell.LoadContext targets net8.0 and this assembly netstandard2.0, so it cannot be referenced
            // at compile time; it has no dependencies of its own, so loading it into the default context is safe.
            Assembly loader = Assembly.LoadFrom(Path.Combine(DependencyFolder, "PopShell.LoadContext.dll"));
            loader.GetType("PopShell.LoadContext.EngineResolver", throwOnError: true)!
                .GetMethod("Register", new[] { typeof(string) })!
                .Invoke(null, new object[] { DependencyFolder });
        }

        static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            string? name = new AssemblyName(args.Name).Name;
            if (name == null)
                return null;
            string path = Path.Combine(DependencyFolder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
