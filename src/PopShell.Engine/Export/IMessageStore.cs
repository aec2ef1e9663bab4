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
        /// Writes one message durably and returns where it now is. Throws (leaving nothing behind)
        /// if it could not be written completely.
        /// </summary>
        string Save(MessageSummary message, Stream raw, CancellationToken cancellationToken);

        /// <summary>
        /// Whether the copy an earlier run saved is still there (and, where the format allows, unchanged),
        /// so the message may be deleted from the server without saving it again.
        /// </summary>
        bool StillHolds(SavedMessage saved);
    }
}
