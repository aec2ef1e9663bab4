using System.Reflection;
using System.Runtime.Loader;

namespace PopShell.LoadContext
{
    /// <summary>
    /// Answers the default context's request for PopShell.Engine (made when a cmdlet first touches the
    /// engine) with the engine loaded into <see cref="EngineLoadContext"/>. The engine is the only
    /// name answered: its name is ours alone, so no other module's request is ever served from here.
    /// </summary>
    public static class EngineResolver
    {
        const string EngineAssemblyName = "PopShell.Engine";

        // One per process, like the default context it hooks into: the default context remembers the
        // engine once resolved, so a module that is removed and imported again keeps using this context.
        static readonly object Gate = new();
        static EngineLoadContext? _context;

        /// <summary>
        /// Hooks the default context's <see cref="AssemblyLoadContext.Resolving"/> event, once per process.
        /// PopShell.dll calls this when it is imported on PowerShell 7.
        /// </summary>
        /// <param name="dependencyFolder">The module's <c>dependencies</c> folder.</param>
        public static void Register(string dependencyFolder)
        {
            lock (Gate)
            {
                if (_context != null)
                    return;
                _context = new EngineLoadContext(dependencyFolder);
                AssemblyLoadContext.Default.Resolving += ResolveEngine;
            }
        }

        static Assembly? ResolveEngine(AssemblyLoadContext defaultContext, AssemblyName assemblyName) =>
            assemblyName.Name == EngineAssemblyName ? _context!.LoadFromAssemblyName(assemblyName) : null;
    }
}
