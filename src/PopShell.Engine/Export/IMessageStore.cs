using System;
using System.IO;
using System.Threading;
using PopShell.Engine.Messages;

namespace PopShell.Engine.Export
{
    /// <summary>Where saved messages go: an .eml folder, an mbox file or a Maildir.</summary>
    internal interface IMessageStore : IDisposable
    {
        /// <summary>The folder that holds the export's state file.</summary>
        string StateDirectory { get; }

        /// <summary>
        /// Writes one message and returns where it now is: its bytes are on disk, but its name is
        /// durable only after <see cref="MakeDurable"/>. Throws (leaving nothing behind) if it could
        /// not be written completely.
        /// </summary>
        /// <param name="message">The message's header fields, for its name.</param>
        /// <param name="raw">The bytes the server sent.</param>
        /// <param name="sha256">Their SHA-256, so a copy already in place (after a crash) is recognised, not repeated.</param>
        /// <param name="cancellationToken">Cancels the write; nothing is left behind.</param>
        string Save(MessageSummary message, Stream raw, string sha256, CancellationToken cancellationToken);

        /// <summary>
        /// Whether <see cref="Save"/> may run on several threads at once (separate files), or must be
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
