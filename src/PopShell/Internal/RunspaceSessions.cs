using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace PopShell.Internal
{
    /// <summary>
    /// The sessions of one runspace, and which is the default. Kept per runspace (keyed weakly on the
    /// runspace object, so it goes away with it) rather than in a static, so that
    /// <c>ForEach-Object -Parallel</c> over many mailboxes never shares or swaps default sessions.
    /// </summary>
    internal sealed class RunspaceSessions
    {
        static readonly ConditionalWeakTable<Runspace, RunspaceSessions> ByRunspace = new ConditionalWeakTable<Runspace, RunspaceSessions>();

        readonly List<Pop3Session> open = new List<Pop3Session>();
        int lastId;

        /// <summary>The sessions of the runspace running the current command.</summary>
        public static RunspaceSessions Current => ByRunspace.GetValue(Runspace.DefaultRunspace, _ => new RunspaceSessions());

        /// <summary>The session commands use when none is given, or <see langword="null"/>.</summary>
        public Pop3Session? Default { get; private set; }

        /// <summary>Sessions opened in this runspace and not yet disconnected.</summary>
        public IReadOnlyList<Pop3Session> Open => open;

        /// <summary>The id the next session gets.</summary>
        public int NextId() => ++lastId;

        /// <summary>Records a new session and makes it the default.</summary>
        public void Add(Pop3Session session)
        {
            open.Add(session);
            Default = session;
        }

        /// <summary>Records a new session without making it the default.</summary>
        public void AddOpen(Pop3Session session) => open.Add(session);

        /// <summary>Makes an open session of this runspace the default.</summary>
        public void SetDefault(Pop3Session session)
        {
            if (!open.Contains(session))
                open.Add(session);
            Default = session;
        }

        /// <summary>Leaves the runspace without a default session (the sessions stay open).</summary>
        public void ClearDefault() => Default = null;

        /// <summary>Forgets a disconnected session; if it was the default, there is no default any more.</summary>
        public void Remove(Pop3Session session)
        {
            open.Remove(session);
            if (ReferenceEquals(Default, session))
                Default = null;
        }
    }
}
