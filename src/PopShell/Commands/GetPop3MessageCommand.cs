using System.Collections;
using System.Diagnostics;
using PopShell.Engine.Messages;

namespace PopShell.Commands
{
    /// <summary>Get-Pop3Message: its help is written once, in help/en-US/Get-Pop3Message.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsCommon.Get, "Pop3Message", DefaultParameterSetName = AllSet, HelpUri = HelpLinks.Base + "Get-Pop3Message.md")]
    [OutputType(typeof(Pop3Message))]
    public sealed class GetPop3MessageCommand : MessageSelectionCmdlet
    {
        const string AllSet = "All";

        MessageQuery filters = new MessageQuery();
        // UIDs piped in (CSV rows, save results, messages) are listed per session at the end, in one scan each.
        readonly PipedUids pipedUids = new PipedUids();

        /// <summary>The session to list; default: the current session. Sessions (or objects with a Session property) can be piped in.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = AllSet)]
        [Parameter(ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = IndexSet)]
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = UidSet)]
        [SessionTransformation]
        [ArgumentCompleter(typeof(SessionCompleter))]
        public Pop3Session? Session { get; set; }

        /// <summary>1-based message numbers in this session; the first positional argument when it is a number.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = IndexSet)]
        [ArgumentCompleter(typeof(MessageCompleter))]
        [ValidateRange(1, int.MaxValue)]
        public int[]? Index { get; set; }

        /// <summary>Returns at most this many matching messages.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int First { get; set; } = -1;

        /// <summary>Passes over this many matching messages first.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Skip { get; set; }

        /// <summary>Sender name or address, PowerShell wildcards, case-insensitive; any value may match.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? From { get; set; }

        /// <summary>Sender name or address containing this text, taken literally, case-insensitive; any value may match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? FromContains { get; set; }

        /// <summary>To or Cc recipient name or address, PowerShell wildcards, case-insensitive; any value may match.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? To { get; set; }

        /// <summary>To or Cc recipient name or address containing this text, taken literally, case-insensitive.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? ToContains { get; set; }

        /// <summary>Subject, PowerShell wildcards, case-insensitive; any value may match.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNull]
        public string[]? Subject { get; set; }

        /// <summary>Subject containing this text, taken literally (no wildcards), case-insensitive; any value may match.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[]? SubjectContains { get; set; }

        /// <summary>Header fields and wildcard patterns for their values: @{ 'X-Spam-Flag' = 'YES' }.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public IDictionary? Header { get; set; }

        /// <summary>Header fields and regular expressions for their values: @{ Subject = '^\[SPAM\]' }.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public IDictionary? HeaderMatch { get; set; }

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

        /// <summary>Builds the filters once; patterns are compiled here, not per message.</summary>
        protected override void BeginProcessing()
        {
            try
            {
                filters = new MessageQuery
                {
                    MinSize = MinSize >= 0 ? MinSize : null,
                    MaxSize = MaxSize >= 0 ? MaxSize : null,
                    Before = Before.HasValue ? new DateTimeOffset(Before.Value) : null,
                    After = After.HasValue ? new DateTimeOffset(After.Value) : null,
                    From = TextFilter.All(TextFilter.Wildcards(From), TextFilter.Contains(FromContains)),
                    To = TextFilter.All(TextFilter.Wildcards(To), TextFilter.Contains(ToContains)),
                    Subject = TextFilter.All(TextFilter.Wildcards(Subject), TextFilter.Contains(SubjectContains)),
                    Headers = TextFilter.Headers(Header, TextFilter.Wildcards)
                        .Concat(TextFilter.Headers(HeaderMatch, values => TextFilter.Regexes(values, "-HeaderMatch")))
                        .ToArray(),
                    Skip = Skip,
                    First = First >= 0 ? First : null,
                };
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "InvalidFilter", ErrorCategory.InvalidArgument, Header ?? (object?)HeaderMatch));
            }
        }

        /// <summary>Lists the messages of one session, writing each batch as it arrives; piped UIDs wait for the end.</summary>
        protected override void ProcessRecord()
        {
            var session = ResolveSession(Session);
            if (ParameterSetName == UidSet)
            {
                pipedUids.Add(session, Uid!);
                return;
            }
            List(session, Index, null);
        }

        /// <summary>Lists the UIDs gathered from the pipeline, one scan per session.</summary>
        protected override void EndProcessing()
        {
            foreach (var pair in pipedUids.Drain())
                List(ResolveSession(pair.Key), null, pair.Value);
        }

        void List(Pop3Session session, IReadOnlyList<int>? numbers, IReadOnlyList<string>? uids)
        {
            var query = filters.Selecting(numbers, uids);
            var scan = new MessageScan(session.Connection, query) { IncludeContent = IncludeBody };
            if (IncludeBody)
                WarnIfRetrievedMessagesExpire(session, "-IncludeBody retrieves the listed messages, so they leave the server at Disconnect-Pop3, even with -Discard.");
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
                        ReportMissing(scan, session, numbers != null);
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
                    ReportMissing(scan, session, numbers != null);
            }
            catch (PopShellException ex)
            {
                Report(ex, session);
            }
            finally
            {
                progress.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress);
            }

            WriteVerbose($"Listed {written} message(s) from {session} in {clock.Elapsed.TotalSeconds:0.00} s.");
        }

        void ReportMissing(MessageScan scan, Pop3Session session, bool byIndex)
        {
            foreach (string missing in scan.Missing)
                Report(MissingMessage.Error(missing, byIndex, session), session, missing);
        }
    }
}
