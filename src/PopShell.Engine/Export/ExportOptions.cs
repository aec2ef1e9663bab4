using System;

namespace PopShell.Engine.Export
{
    /// <summary>What an export does; see <see cref="MessageExporter"/>.</summary>
    public sealed class ExportOptions
    {
        /// <summary>Target folder (Eml, Maildir), or mbox file or folder (Mbox); a full path.</summary>
        public string Path { get; set; } = string.Empty;

        /// <summary>How messages are stored.</summary>
        public MessageFormat Format { get; set; } = MessageFormat.Eml;

        /// <summary>File name template for Eml; see <see cref="FileNameTemplate"/>.</summary>
        public string? FileNameTemplate { get; set; }

        /// <summary>Mark each message for deletion once it is durably saved.</summary>
        public bool Delete { get; set; }

        /// <summary>
        /// With <see cref="NewOnly"/> and without <see cref="Delete"/>: messages the journal records as
        /// saved before this time are deleted (after the same check as <see cref="Delete"/> makes of
        /// them: retrieved again, hashed, their copy still there); messages saved now are kept. Null: none.
        /// </summary>
        public DateTimeOffset? DeleteSavedBefore { get; set; }

        /// <summary>Skip messages whose UID the folder's journal records as saved.</summary>
        public bool NewOnly { get; set; }

        /// <summary>Replace an existing file of the same name instead of adding a suffix.</summary>
        public bool Overwrite { get; set; }

        /// <summary>
        /// Most bytes (by LIST size) retrieved in one pipelined round; one larger message still goes alone.
        /// Two rounds are in memory at once (one being written while the next is retrieved).
        /// </summary>
        public long BatchBytes { get; set; } = 16L * 1024 * 1024;

        /// <summary>Most messages retrieved in one pipelined round.</summary>
        public int BatchCount { get; set; } = 500;
    }
}
