using System;
using System.Diagnostics;
using System.Management.Automation;
using PopShell.Engine.Errors;
using PopShell.Engine.Messages;
using PopShell.Internal;

namespace PopShell.Commands
{
    /// <summary>
    /// <para type="synopsis">Lists the messages of a mailbox, with filters on index, UID, size, date, sender, recipient and subject.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "Pop3Message", DefaultParameterSetName = AllSet)]
    [OutputType(typeof(Pop3Message))]
    public sealed class GetPop3MessageCommand : Pop3Cmdlet
    {
        const string AllSet = "All";
        const string IndexSet = "ByIndex";
        const string UidSet = "ByUid";

        MessageQuery query = new MessageQuery();

        /// <summary>The session to list; default: the current session. Sessions can be piped in.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        public Pop3Session? Session { get; set; }

        /// <summary>1-based message numbers in this session.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IndexSet)]
        [ArgumentCompleter(typeof(MessageCompleter))]
        [ValidateRange(1, int.MaxValue)]
        public int[]? Index { get; set; }

        /// <summary>Message UIDs (stable across sessions).</summary>
        [Parameter(Mandatory = true, ParameterSetName = UidSet)]
        [ArgumentCompleter(typeof(MessageCompleter))]
        [ValidateNotNullOrEmpty]
        public string[]? Uid { get; set; }

        /// <summary>Returns at most this many matching messages.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int First { get; set; } = -1;

        /// <summary>Passes over this many matching messages first.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Skip { get; set; }

        /// <summary>Sender name or address, PowerShell wildcards, case-insensitive.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? From { get; set; }

        /// <summary>To or Cc recipient name or address, PowerShell wildcards, case-insensitive.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? To { get; set; }

        /// <summary>Subject, PowerShell wildcards, case-insensitive.</summary>
        [Parameter]
        [ValidateNotNull]
        public string? Subject { get; set; }

        /// <summary>Only messages whose Date header is earlier than this.</summary>
        [Parameter]
        public DateTime? Before { get; set; }

        /// <summary>Only messages whose Date header is later than this.</summary>
        [Parameter]
        public DateTime? After { get; set; }

        /// <summary>Only messages of at least this many bytes.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long MinSize { get; set; } = -1;

        /// <summary>Only messages of at most this many bytes.</summary>
        [Parameter]
        [ValidateRange(0, long.MaxValue)]
        public long MaxSize { get; set; } = -1;

        /// <summary>Also retrieves each message whole, to fill Body and Attachments.</summary>
        [Parameter]
        public SwitchParameter IncludeBody { get; set; }

        /// <summary>Builds the query once; wildcards are compiled here, not per message.</summary>
        protected override void BeginProcessing()
        {
            query = new MessageQuery
            {
                Numbers = Index,
                Uids = Uid,
                MinSize = MinSize >= 0 ? MinSize : null,
                MaxSize = MaxSize >= 0 ? MaxSize : null,
                Before = Before.HasValue ? new DateTimeOffset(Before.Value) : null,
                After = After.HasValue ? new DateTimeOffset(After.Value) : null,
                From = Wildcard(From),
                To = Wildcard(To),
                Subject = Wildcard(Subject),
                Skip = Skip,
                First = First >= 0 ? First : null,
            };
        }

        /// <summary>Lists the messages of one session, writing each batch as it arrives.</summary>
        protected override void ProcessRecord()
        {
            var session = ResolveSession(Session);
            var scan = new MessageScan(session.Connection, query) { IncludeContent = IncludeBody };
            if (IncludeBody && session.Connection.ExpireDays == 0)
                WriteWarning($"The server {session.Server} deletes every retrieved message when the session ends (EXPIRE 0): -IncludeBody retrieves the listed messages, so they leave the server at Disconnect-Pop3, even with -Discard.");
            var progress = new ProgressRecord(1, $"Listing messages on {session.Server}", "Reading headers");
            var clock = Stopwatch.StartNew();
            int written = 0;
            bool missingReported = false;

            try
            {
                foreach (var batch in scan.Run(CancellationToken))
                {
                    if (!missingReported)
                    {
                        ReportMissing(scan, session);
                        missingReported = true;
                    }
                    foreach (var summary in batch.Matches)
                    {
                        if (summary.HeaderError != null)
                            WriteWarning($"Message UID {summary.Entry.Uid} (index {summary.Entry.Number}) has a header PopShell cannot read ({summary.HeaderError}); it is listed without header fields. Save-Pop3Message still saves it as it is.");
                        WriteObject(new Pop3Message(session, summary));
                    }
                    written += batch.Matches.Count;

                    progress.PercentComplete = batch.Total == 0 ? 100 : (int)(100L * batch.Scanned / batch.Total);
                    progress.StatusDescription = $"Read {batch.Scanned} of {batch.Total} headers, {written} matching";
                    WriteProgress(progress);
                }
                if (!missingReported)
                    ReportMissing(scan, session);
            }
            catch (PopShellException ex)
            {
                ThrowSessionError(ex, session);
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            WriteVerbose($"Listed {written} message(s) from {session} in {clock.Elapsed.TotalSeconds:0.00} s.");
        }

        void ReportMissing(MessageScan scan, Pop3Session session)
        {
            foreach (string missing in scan.Missing)
                WriteError(ErrorRecords.From(MissingMessage.Error(missing, Index != null, session), missing));
        }

        static Func<string, bool>? Wildcard(string? pattern)
        {
            if (pattern == null)
                return null;
            var wildcard = new WildcardPattern(pattern, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            return wildcard.IsMatch;
        }
    }
}
