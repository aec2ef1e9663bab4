using System;
using System.IO;
using System.Threading;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>Where saved messages go: an .eml folder, an mbox file or a Maildir.</summary>
    internal interface IMessageStore : IDisposable
    {
        /// <summary>The header fields <see cref="Stage"/> needs of a message (for its name, or its mbox separator line).</summary>
        NamingFields NamingFields { get; }

        /// <summary>The folder that holds the export's state file.</summary>
        string StateDirectory { get; }

        /// <summary>
        /// Writes one message's bytes to disk (synced) and returns it staged: <see cref="StagedMessage.Commit"/>
        /// then gives it its final name, one message at a time in message order. The name is durable
        /// only after <see cref="MakeDurable"/>. Throws (leaving nothing behind) if the message could
        /// not be written completely.
        /// </summary>
        /// <param name="message">The message's header fields, for its name.</param>
        /// <param name="raw">The bytes the server sent.</param>
        /// <param name="sha256">Their SHA-256, so a copy already in place (after a crash) is recognised, not repeated.</param>
        /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
        StagedMessage Stage(MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken);

        /// <summary>The folder where messages are spooled as they arrive (<see cref="MessageSpool"/>).</summary>
        string SpoolDirectory { get; }

        /// <summary>
        /// As <see cref="Stage"/>, from a spooled message, which this call owns from now on: a store that
        /// keeps the bytes as they are takes the spool's file itself rather than copying it.
        /// </summary>
        StagedMessage StageSpooled(MessageSummary message, MessageSpool spool, CancellationToken cancellationToken);

        /// <summary>
        /// Whether <see cref="Stage"/> may run on several threads at once (separate files), or must be
        /// called one message at a time (one file that messages are appended to).
        /// </summary>
        bool WritesConcurrently { get; }

        /// <summary>Makes every message saved so far durable (one folder sync for a whole batch).</summary>
        void MakeDurable();

        /// <summary>
        /// Whether the copy an earlier run saved is still there (and, where the format allows, unchanged),
        /// so the message may be deleted from the server without saving it again.
        /// </summary>
        bool StillHolds(SavedMessage saved);
    }
}
