using System.Threading;
using PopShell.Engine.Errors;
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

            var entry = session.Connection.GetListing(cancellationToken).ByNumber(message.Index);
            if (entry == null || entry.Uid != message.Uid)
            {
                error = new PopShellException(
                    PopShellErrorKind.MessageNotFound,
                    $"Message UID {message.Uid} is not at index {message.Index} of {session}; nothing was {doing} for it.")
                { Uid = message.Uid };
                return null;
            }
            return entry;
        }
    }
}
