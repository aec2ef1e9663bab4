using System.Threading;
using PopShell.Engine.Messages;

namespace PopShell.Internal
{
    /// <summary>Finds the listing entry of a piped message in its own session, or says why it cannot be used.</summary>
    internal static class PipedMessage
    {
        /// <summary>
        /// The entry for <paramref name="message"/>, or null with <paramref name="error"/> set when its
        /// session is closed or its index no longer holds its UID.
        /// </summary>
        public static MessageEntry? Resolve(Pop3Message message, string doing, CancellationToken cancellationToken, out PopShellException? error)
        {
            error = null;
            var session = message.Session;
            if (!session.IsConnected)
            {
                error = new PopShellException(
                    PopShellErrorKind.SessionClosed,
                    $"Message UID {message.Uid} was listed in session {session}, which is closed; nothing was {doing} for it.",
                    "List the messages again in an open session (Get-Pop3Message) and pipe those.")
                { Uid = message.Uid };
                return null;
            }

            try
            {
                var entry = UidResolver.Resolve(session.Connection.GetListing(cancellationToken), message.Uid, message.Index, sameSession: true, session.ToString());
                if (session.Connection.IsMarkedForDeletion(entry.Number))
                {
                    error = new PopShellException(
                        PopShellErrorKind.MessageNotFound,
                        $"Message UID {message.Uid} is marked for deletion in {session}; nothing was {doing} for it.",
                        "Disconnect-Pop3 -Discard keeps it on the server; then connect again.")
                    { Uid = message.Uid };
                    return null;
                }
                return entry;
            }
            catch (PopShellException ex) when (ex.Kind == PopShellErrorKind.MessageNotFound)
            {
                error = ex;
                return null;
            }
        }
    }
}
