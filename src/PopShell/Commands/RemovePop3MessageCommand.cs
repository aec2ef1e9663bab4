using PopShell.Engine.Messages;

namespace PopShell.Commands
{
    /// <summary>Remove-Pop3Message: its help is written once, in help/en-US/Remove-Pop3Message.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommon.Remove, "Pop3Message", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, HelpUri = HelpLinks.Base + "Remove-Pop3Message.md")]
    [OutputType(typeof(Pop3Message))]
    public sealed class RemovePop3MessageCommand : MessageSelectionCmdlet
    {
        const string PipelineSet = "Pipeline";
        const int RoundSize = 500;

        readonly MessageBatcher batcher = new MessageBatcher(long.MaxValue, RoundSize);
        readonly PipedUids pipedUids = new PipedUids();
        readonly Dictionary<(Pop3Session, int), Pop3Message> passThru = new Dictionary<(Pop3Session, int), Pop3Message>();
        ProgressRecord? progress;
        int marked;

        /// <summary>Messages from Get-Pop3Message, from this session or an earlier one.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
        [ValidateNotNull]
        public Pop3Message[] InputObject { get; set; } = Array.Empty<Pop3Message>();

        /// <summary>
        /// The session that deletes. Piped messages from a session that has ended are found here by
        /// their UID; default: the current session.
        /// </summary>
        [Parameter(ParameterSetName = PipelineSet)]
        [Parameter(Position = 0, ParameterSetName = IndexSet)]
        [Parameter(Position = 0, ParameterSetName = UidSet, ValueFromPipelineByPropertyName = true)]
        [SessionTransformation]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public Pop3Session? Session { get; set; }

        /// <summary>1-based message numbers in the session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IndexSet)]
        [ArgumentCompleter(typeof(MessageCompleter))]
        [ValidateRange(1, int.MaxValue)]
        public int[]? Index { get; set; }

        /// <summary>Writes each message that was marked for deletion.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Sets up progress.</summary>
        protected override void BeginProcessing()
        {
            progress = new ProgressRecord(3, "Marking messages for deletion", "Starting");
        }

        // Always ShouldProcess: scripts say -Confirm:$false, as for Remove-Item; there is no -Force that
        // could skip it, so -WhatIf, transcripts and $ConfirmPreference always see every deletion.
        bool Approve(string target) =>
            ShouldProcess(target, "Mark for deletion (the server deletes it at Disconnect-Pop3)");

        /// <summary>Resolves each message in the session that will delete it, asks, and queues it; UIDs wait for the end.</summary>
        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case PipelineSet:
                    foreach (var message in InputObject)
                        Consider(message);
                    break;
                case UidSet:
                    // Asked and marked at the end: an upstream command (Save-Pop3Message) may still be using the connection.
                    if (ResolveOpenMailbox(Session, Uid!) is { } session)
                        pipedUids.Add(session, Uid!);
                    break;
                default:
                    ConsiderSelection(ResolveSession(Session), null);
                    break;
            }
        }

        /// <summary>Marks what is still queued.</summary>
        protected override void EndProcessing()
        {
            foreach (var pair in pipedUids.Drain())
                ConsiderSelection(pair.Key, pair.Value);
            foreach (var round in batcher.Drain())
                Mark(round.Key, round.Value);
            if (progress != null)
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }
            WriteVerbose($"Marked {marked} message(s) for deletion; Disconnect-Pop3 commits, Disconnect-Pop3 -Discard keeps them.");
        }

        void Consider(Pop3Message message)
        {
            // A message whose own session is still open is deleted there, by its index (checked against its UID);
            // one from an ended session is looked up by UID in the session given, or the current one.
            bool sameSession = message.Session.IsConnected && (Session == null || ReferenceEquals(Session, message.Session));
            var session = sameSession ? message.Session : ResolveSession(Session);
            MessageEntry entry;
            try
            {
                entry = UidResolver.Resolve(session.Connection.GetListing(CancellationToken), message.Uid, message.Index, sameSession, session.ToString());
            }
            catch (PopShellException ex)
            {
                Report(ex, session, ex.Uid ?? message.Uid);
                return;
            }
            if (session.Connection.IsMarkedForDeletion(entry.Number))
                return;
            if (!Approve(Describe(entry, message.From, message.Subject)))
                return;
            Queue(session, entry, message);
        }

        void ConsiderSelection(Pop3Session session, IReadOnlyList<string>? uids)
        {
            try
            {
                var selection = session.Connection.Select(new MessageQuery { Numbers = Index, Uids = uids ?? Uid }, CancellationToken);
                foreach (string missing in selection.Missing)
                    Report(MissingMessage.Error(missing, Index != null, session, "nothing was done to it"), session, missing);

                // Read the headers first, so the confirmation names each message by sender and subject.
                foreach (var summary in session.Connection.ReadSummaries(selection.Candidates, CancellationToken))
                {
                    var message = new Pop3Message(session, summary);
                    if (Approve(Describe(summary.Entry, message.From, message.Subject)))
                        Queue(session, summary.Entry, message);
                }
            }
            catch (PopShellException ex)
            {
                Report(ex, session);
            }
        }

        void Queue(Pop3Session session, MessageEntry entry, Pop3Message message)
        {
            if (PassThru)
                passThru[(session, entry.Number)] = message;
            if (batcher.Add(session, entry) is { } round)
                Mark(session, round);
        }

        void Mark(Pop3Session session, IReadOnlyList<MessageEntry> entries)
        {
            IReadOnlyList<PopShellException> refused;
            try
            {
                refused = session.Connection.MarkForDeletion(entries, CancellationToken);
            }
            catch (PopShellException ex)
            {
                Report(ex, session);
                return;
            }

            foreach (var failure in refused)
                Report(failure, session);
            foreach (var entry in entries.Where(e => session.Connection.IsMarkedForDeletion(e.Number)))
            {
                marked++;
                if (PassThru && passThru.TryGetValue((session, entry.Number), out var message))
                    WriteObject(message);
            }
            if (progress != null)
            {
                progress.StatusDescription = $"{marked} message(s) marked on {session.Server}";
                WriteProgress(progress);
            }
        }

        static string Describe(MessageEntry entry, string? from, string? subject) =>
            $"UID {entry.Uid} (index {entry.Number}) from '{from}', subject '{subject}'";
    }
}
