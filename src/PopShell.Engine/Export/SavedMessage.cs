using System;

namespace PopShell.Engine.Export
{
    /// <summary>A message the journal records as saved.</summary>
    /// <param name="Uid">The message's UID.</param>
    /// <param name="ListSize">Its size in LIST when it was saved, to tell a reused UID from the same message.</param>
    /// <param name="Sha256">SHA-256 of the bytes the server sent.</param>
    /// <param name="Path">Where it was saved.</param>
    public sealed record SavedMessage(string Uid, long ListSize, string Sha256, string Path)
    {
        /// <summary>When it was saved (UTC, whole seconds), or null when that is not known (see <see cref="ExportJournal.SavedAtOfLegacyLine"/>).</summary>
        public DateTimeOffset? SavedAt { get; init; }
    }
}
