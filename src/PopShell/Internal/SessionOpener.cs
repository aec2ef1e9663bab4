using System.Threading;
using PopShell.Engine.Sessions;

namespace PopShell.Internal
{
    /// <summary>
    /// Opens a session from connection options and records it in the runspace: the one way a session
    /// comes to be, for Connect-Pop3 and for commands that connect to many mailboxes themselves.
    /// </summary>
    internal static class SessionOpener
    {
        /// <summary>Connects and logs in; throws the engine's PopShellException on failure.</summary>
        /// <param name="options">Where and how to connect.</param>
        /// <param name="sessions">The runspace's sessions, to record the new one in.</param>
        /// <param name="makeDefault">Whether the new session becomes the default of the runspace.</param>
        /// <param name="cancellationToken">Cancels connecting.</param>
        public static Pop3Session Open(ConnectionOptions options, RunspaceSessions sessions, bool makeDefault, CancellationToken cancellationToken)
        {
            var connection = Pop3Connection.Open(options, cancellationToken);
            var session = new Pop3Session(sessions.NextId(), connection, (Pop3SecurityMode)connection.Security);
            if (makeDefault)
                sessions.Add(session);
            else
                sessions.AddOpen(session);
            return session;
        }
    }
}
