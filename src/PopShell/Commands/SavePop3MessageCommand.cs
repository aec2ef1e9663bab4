using PopShell.Engine.Export;
using PopShell.Engine.Messages;

namespace PopShell.Commands
{
    /// <summary>Save-Pop3Message: its help is written once, in help/en-US/Save-Pop3Message.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsData.Save, "Pop3Message", DefaultParameterSetName = PipelineSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Base + "Save-Pop3Message.md")]
    [OutputType(typeof(Pop3SaveResult))]
    public sealed class SavePop3MessageCommand : MessageSelectionCmdlet
    {
        const string PipelineSet = "Pipeline";
        const string AllSet = "All";
        const int PipedRoundsPerHandOver = 4;

        readonly Dictionary<Pop3Session, MessageExporter> exporters = new Dictionary<Pop3Session, MessageExporter>();
        readonly ExportOptions options = new ExportOptions();
        readonly PipedUids pipedUids = new PipedUids();
        readonly Dictionary<Pop3Session, JournalPreview> previews = new Dictionary<Pop3Session, JournalPreview>();
        DestinationLock? destinationLock;
        bool whatIf;
        bool describeEach;
        long plannedBytes;
        long handledBytes;
        MessageBatcher? batcher;
        ProgressRecord? progress;
        readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
        int done;
        int skipped;
        int failed;
        long doneBytes;

        /// <summary>Messages from Get-Pop3Message.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
        [ValidateNotNull]
        public Pop3Message[] InputObject { get; set; } = Array.Empty<Pop3Message>();

        /// <summary>The session to save from; default: the current session.</summary>
        [Parameter(Position = 0, ParameterSetName = IndexSet)]
        [Parameter(Position = 0, ParameterSetName = UidSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(Position = 0, ParameterSetName = AllSet)]
        [SessionTransformation]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public Pop3Session? Session { get; set; }

        /// <summary>1-based message numbers in the session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IndexSet)]
        [ArgumentCompleter(typeof(MessageCompleter))]
        [ValidateRange(1, int.MaxValue)]
        public int[]? Index { get; set; }

        /// <summary>Saves every message of the mailbox.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <summary>Target folder (created if missing); for -Format Mbox, the mbox file or a folder for mailbox.mbox.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Eml (default): one file per message; Mbox: one mboxrd file; Maildir: tmp/new/cur.</summary>
        [Parameter]
        public Pop3SaveFormat Format { get; set; } = Pop3SaveFormat.Eml;

        /// <summary>File names for Eml, e.g. '{Date:yyyy-MM-dd} {From} {Subject}'. Placeholders: Date[:format], Uid, UidHash, Index, From, FromName, Subject.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? FileNameTemplate { get; set; }

        /// <summary>Marks each message for deletion once its file is durably saved; Disconnect-Pop3 commits.</summary>
        [Parameter]
        public SwitchParameter Delete { get; set; }

        /// <summary>Skips messages whose UID was already saved to this -Path (remembered in a journal file there).</summary>
        [Parameter]
        public SwitchParameter NewOnly { get; set; }

        /// <summary>Replaces an existing file of the same name instead of adding a " (2)" suffix.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>Resolves the target path and checks the template before anything is downloaded.</summary>
        protected override void BeginProcessing()
        {
            options.Path = GetUnresolvedProviderPathFromPSPath(Path);
            options.Format = (MessageFormat)Format;
            options.FileNameTemplate = FileNameTemplate;
            options.Delete = Delete;
            options.NewOnly = NewOnly;
            options.Overwrite = Force;
            try
            {
                _ = new FileNameTemplate(FileNameTemplate);
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidFileNameTemplate", ErrorCategory.InvalidArgument, FileNameTemplate));
            }
            progress = new ProgressRecord(2, $"Saving messages to {options.Path}", "Starting");
            whatIf = IsSet("WhatIf", "WhatIfPreference");
            // Name each message by sender and subject whenever ShouldProcess will show it (-WhatIf, -Confirm).
            describeEach = whatIf || IsSet("Confirm", null)
                || (SessionState.PSVariable.GetValue("ConfirmPreference") is ConfirmImpact preference && preference != ConfirmImpact.None && preference <= ConfirmImpact.Medium);
            // Piped messages are handed to the exporter a few rounds at a time: within one hand-over the
            // exporter writes a round while it retrieves the next, and results still stream out.
            batcher = new MessageBatcher(options.BatchBytes * PipedRoundsPerHandOver, options.BatchCount * PipedRoundsPerHandOver);
        }

        /// <summary>Queues piped messages and UIDs, or saves the messages named by -Index/-Uid/-All.</summary>
        protected override void ProcessRecord()
        {
            if (ParameterSetName == PipelineSet)
            {
                foreach (var message in InputObject)
                    Enqueue(message);
                return;
            }
            if (ParameterSetName == UidSet)
            {
                // Saved at the end: an upstream command may still be using the connection.
                if (ResolveOpenMailbox(Session, Uid!) is { } owner)
                    pipedUids.Add(owner, Uid!);
                return;
            }
            SaveSelection(ResolveSession(Session), Index, null);
        }

        /// <summary>Saves what is still queued and closes the targets.</summary>
        protected override void EndProcessing()
        {
            foreach (var pair in pipedUids.Drain())
                SaveSelection(pair.Key, null, pair.Value);
            foreach (var round in batcher!.Drain())
                Save(round.Key, round.Value);
            foreach (var pair in exporters)
                WriteVerbose($"From {pair.Key}: retrieving took {pair.Value.RetrieveTime.TotalSeconds:0.00} s, waiting for the disk {pair.Value.DiskWaitTime.TotalSeconds:0.00} s.");
            CloseExporters();
            if (progress != null)
            {
                WriteProgress(new ProgressRecord(progress.ActivityId, progress.Activity, progress.StatusDescription) { RecordType = ProgressRecordType.Completed });
            }
            double seconds = clock.Elapsed.TotalSeconds;
            WriteVerbose($"Saved {done - skipped} message(s) ({doneBytes / 1048576.0:0.0} MB), skipped {skipped}, failed {failed}, in {seconds:0.00} s ({(seconds > 0 ? doneBytes / 1048576.0 / seconds : 0):0.0} MB/s).");
        }

        void SaveSelection(Pop3Session session, IReadOnlyList<int>? numbers, IReadOnlyList<string>? uids)
        {
            List<MessageEntry> approved;
            try
            {
                var selection = session.Connection.Select(new MessageQuery { Numbers = numbers, Uids = uids }, CancellationToken);
                foreach (string missing in selection.Missing)
                    Report(MissingMessage.Error(missing, numbers != null, session, "nothing was saved for it"), session, missing);
                var candidates = selection.Candidates;
                if (describeEach)
                {
                    approved = session.Connection.ReadSummaries(candidates, CancellationToken)
                        .Where(summary => ShouldSave(session, summary.Entry, new Pop3Message(session, summary)))
                        .Select(summary => summary.Entry)
                        .ToList();
                }
                else
                {
                    approved = candidates.Where(e => ShouldSave(session, e, null)).ToList();
                }
            }
            catch (PopShellException ex)
            {
                Report(ex, session);
                return;
            }
            // The selection is known before anything is retrieved, so progress can show a percentage.
            plannedBytes += approved.Sum(e => e.Size);
            Save(session, approved);
        }

        /// <summary>Closes the targets and previews however the command ended (Ctrl+C, a terminating error).</summary>
        protected override void Release()
        {
            CloseExporters();
            destinationLock?.Dispose();
            destinationLock = null;
            foreach (var preview in previews.Values)
                preview.Dispose();
            previews.Clear();
        }

        void Enqueue(Pop3Message message)
        {
            if (ResolvePiped(message, "saved") is not { } entry)
                return;
            if (!ShouldSave(message.Session, entry, message))
                return;
            if (batcher!.Add(message.Session, entry) is { } round)
                Save(message.Session, round);
        }

        // Asks ShouldProcess with what would really happen: a message an earlier run saved (-NewOnly) is
        // not saved again, so it is not asked about, and under -WhatIf it is not even handed on.
        bool ShouldSave(Pop3Session session, MessageEntry entry, Pop3Message? message)
        {
            string target = message == null
                ? $"message UID {entry.Uid} (index {entry.Number})"
                : $"message UID {entry.Uid} (index {entry.Number}) from '{message.From}', subject '{message.Subject}'";
            var earlier = NewOnly && describeEach ? PreviewFor(session).Find(entry.Uid, entry.Size) : null;
            if (earlier != null && !Delete)
            {
                if (whatIf)
                    WriteVerbose($"Skipping {target}: an earlier run saved it to '{earlier.Path}'.");
                return !whatIf;
            }
            string action = earlier != null
                ? $"Delete from the server (saved to '{earlier.Path}' by an earlier run; retrieved again and deleted only if its bytes still match)"
                : Delete ? $"Save to {options.Path} and delete from the server" : $"Save to {options.Path}";
            return ShouldProcess(target, action);
        }

        JournalPreview PreviewFor(Pop3Session session)
        {
            if (previews.TryGetValue(session, out var preview))
                return preview;
            return previews[session] = JournalPreview.Read(options, session.ToString());
        }

        bool IsSet(string parameter, string? preference) =>
            (MyInvocation.BoundParameters.TryGetValue(parameter, out var value) && value is SwitchParameter { IsPresent: true })
            || (preference != null && SessionState.PSVariable.GetValue(preference) is bool on && on);

        void Save(Pop3Session session, IReadOnlyList<MessageEntry> entries)
        {
            if (entries.Count == 0)
                return;
            try
            {
                var exporter = ExporterFor(session);
                foreach (var outcome in exporter.Export(entries, CancellationToken))
                    Report(session, outcome);
            }
            catch (PopShellException ex)
            {
                CloseExporters();
                Report(ex, session, ex.Kind is PopShellErrorKind.WriteFailed or PopShellErrorKind.ExportNotPossible or PopShellErrorKind.DestinationInUse ? options.Path : null);
            }
        }

        MessageExporter ExporterFor(Pop3Session session)
        {
            if (exporters.TryGetValue(session, out var exporter))
                return exporter;
            // The folder's lock, as Export-Pop3Mailbox takes it: a scheduled export and this command never
            // work on one folder at once. Held once for every session of this command, until it ends.
            destinationLock ??= DestinationLock.Acquire(DestinationLock.FolderOf(options.Path, options.Format));
            WarnIfRetrievedMessagesExpire(session, "saved messages leave the server at Disconnect-Pop3. If a save fails, PopShell ends the session without QUIT so that nothing is deleted.");
            exporter = new MessageExporter(session.Connection, options);
            exporters[session] = exporter;
            WriteVerbose($"Saving from {session} to {options.Path} ({options.Format}); journal {exporter.JournalPath}.");
            return exporter;
        }

        void Report(Pop3Session session, ExportOutcome outcome)
        {
            if (outcome.Error != null)
            {
                failed++;
                handledBytes += outcome.Entry.Size;
                Report(outcome.Error, session, (object?)outcome.Entry.Uid ?? outcome.Entry.Number);
                return;
            }
            if (outcome.Skipped)
                skipped++;
            if (outcome.DeleteError != null)
            {
                WriteWarning(outcome.Skipped
                    ? outcome.DeleteError.Message
                    : $"Message UID {outcome.Entry.Uid} was saved to '{outcome.Path}', but the server refused to delete it: {outcome.DeleteError.Message}");
            }

            WriteObject(new Pop3SaveResult(session, outcome.Entry.Uid, outcome.Entry.Number, outcome.Path, outcome.Size, outcome.Sha256, outcome.Deleted, outcome.Skipped));
            done++;
            handledBytes += outcome.Entry.Size;
            if (!outcome.Skipped)
                doneBytes += outcome.Size;
            if (progress != null)
            {
                // A new record each time: hosts and Streams.Progress keep the records they were given.
                // By bytes, as LIST announced them: that is what takes the time. Piped messages arrive one by one, so their total is not known.
                WriteProgress(progress = new ProgressRecord(progress.ActivityId, progress.Activity, $"{done} message(s), {doneBytes / 1048576.0:0.0} MB from {session.Server}")
                {
                    PercentComplete = plannedBytes > 0 ? (int)Math.Min(100, 100 * handledBytes / plannedBytes) : -1,
                });
            }
        }

        void CloseExporters()
        {
            foreach (var exporter in exporters.Values)
                exporter.Dispose();
            exporters.Clear();
        }
    }
}
