using PopShell.Engine.Errors;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// Finds which message of a session an object listed earlier refers to, so that a stale object
    /// never deletes the wrong mail. Message numbers are only valid in the session that listed them;
    /// an object from any other session is found by its UID, and a UID that is gone or shared by
    /// several messages is an error, never a guess.
    /// </summary>
    public static class UidResolver
    {
        /// <summary>
        /// The entry in <paramref name="listing"/> for a message that was listed as number
        /// <paramref name="listedNumber"/> with <paramref name="uid"/>, in the same session
        /// (<paramref name="sameSession"/>) or another one.
        /// </summary>
        /// <exception cref="PopShellException">MessageNotFound when it cannot be resolved with certainty.</exception>
        public static MessageEntry Resolve(MailboxListing listing, string? uid, int listedNumber, bool sameSession, string sessionName)
        {
            if (sameSession)
            {
                var entry = listing.ByNumber(listedNumber);
                if (entry != null && entry.Uid == uid)
                    return entry;
                throw NotFound($"Message index {listedNumber} of {sessionName} does not hold UID {uid}.", uid);
            }

            if (!listing.HasUids)
            {
                throw new PopShellException(
                    PopShellErrorKind.MessageNotFound,
                    $"Message UID {uid} was listed in another session, and {sessionName} has no UIDs (the server does not support UIDL), so PopShell cannot tell which message it is now; nothing was done to it.",
                    "List the messages again in this session (Get-Pop3Message) and use those objects.")
                { Uid = uid };
            }
            if (uid == null)
                throw NotFound($"Message index {listedNumber} was listed without a UID in another session, so it cannot be found in {sessionName}.", uid);

            var matches = listing.ByUid(uid);
            if (matches.Count == 1)
                return matches[0];
            if (matches.Count == 0)
                throw NotFound($"Message UID {uid} is no longer in the mailbox of {sessionName}; another client may have deleted it. Nothing was done to it.", uid);
            throw new PopShellException(
                PopShellErrorKind.MessageNotFound,
                $"Message UID {uid} names {matches.Count} messages in {sessionName} (the server repeats UIDs), so PopShell cannot tell which one is meant; nothing was done to them.",
                "Select the message by -Index in this session after checking it with Get-Pop3Message.")
            { Uid = uid };
        }

        static PopShellException NotFound(string message, string? uid) =>
            new PopShellException(PopShellErrorKind.MessageNotFound, message, "List the messages again (Get-Pop3Message) to see what the mailbox holds now.") { Uid = uid };
    }
}
