using PopShell.Engine.Export;
using PopShell.Engine.Messages;

namespace PopShell.Commands
{
    /// <summary>Save-Pop3Attachment: its help is written once, in help/en-US/Save-Pop3Attachment.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsData.Save, "Pop3Attachment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, HelpUri = HelpLinks.Base + "Save-Pop3Attachment.md")]
    [OutputType(typeof(Pop3SavedAttachment))]
    public sealed class SavePop3AttachmentCommand : Pop3Cmdlet
    {
        MessageBatcher? batcher;
        Func<string, bool>? filter;
        string directory = string.Empty;

        /// <summary>Messages from Get-Pop3Message.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [ValidateNotNull]
        public Pop3Message[] InputObject { get; set; } = Array.Empty<Pop3Message>();

        /// <summary>The folder to save into; created if missing.</summary>
        [Parameter(Mandatory = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Only attachments whose name matches (PowerShell wildcards, case-insensitive), e.g. '*.pdf'.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string? Filter { get; set; }

        /// <summary>Resolves the folder and compiles the filter once.</summary>
        protected override void BeginProcessing()
        {
            directory = GetUnresolvedProviderPathFromPSPath(Path);
            if (Filter != null)
                filter = new WildcardPattern(Filter, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant).IsMatch;
            batcher = new MessageBatcher(32L * 1024 * 1024, 200);
        }

        /// <summary>Queues each piped message; full rounds are retrieved at once.</summary>
        protected override void ProcessRecord()
        {
            foreach (var message in InputObject)
            {
                if (ResolvePiped(message, "extracted") is not { } entry)
                    continue;
                if (!ShouldProcess($"message UID {message.Uid}, subject '{message.Subject}'", $"Save attachments to {directory}"))
                    continue;
                if (batcher!.Add(message.Session, entry) is { } round)
                    Extract(message.Session, round);
            }
        }

        /// <summary>Retrieves what is still queued.</summary>
        protected override void EndProcessing()
        {
            foreach (var round in batcher!.Drain())
                Extract(round.Key, round.Value);
        }

        void Extract(Pop3Session session, IReadOnlyList<MessageEntry> entries)
        {
            WarnIfRetrievedMessagesExpire(session, "these messages leave the server at Disconnect-Pop3, even with -Discard.");
            var extractor = new AttachmentExtractor(session.Connection, directory, filter);
            try
            {
                foreach (var outcome in extractor.Extract(entries, CancellationToken))
                {
                    if (outcome.Error != null)
                        Report(outcome.Error, session, (object?)outcome.Entry.Uid ?? outcome.Entry.Number);
                    else
                        WriteObject(new Pop3SavedAttachment(outcome.Entry.Uid, outcome.OriginalName ?? string.Empty, outcome.Path!, outcome.ContentType ?? string.Empty, outcome.Size));
                }
            }
            catch (PopShellException ex)
            {
                Report(ex, session, ex.Kind == PopShellErrorKind.WriteFailed ? directory : null);
            }
        }
    }
}
