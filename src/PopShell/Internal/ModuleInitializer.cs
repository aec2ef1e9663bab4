using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;

namespace PopShell.Internal
{
    /// <summary>
    /// Loads the engine and its dependencies (MailKit, MimeKit, BouncyCastle) from the module's
    /// <c>dependencies</c> folder. They sit apart from the cmdlet assembly so that PowerShell only
    /// sees PopShell.dll at the module root, and so a private load context can take them later.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        static readonly string DependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");

        /// <summary>Called by PowerShell when the module is imported.</summary>
        public void OnImport() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        /// <summary>Called by PowerShell when the module is removed.</summary>
        public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= ResolveDependency;

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
