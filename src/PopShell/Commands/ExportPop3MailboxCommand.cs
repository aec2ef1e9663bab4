using System.Net;
using System.Security;
using System.Threading;
using PopShell.Engine.Accounts;
using PopShell.Engine.Export;
using PopShell.Engine.Sessions;

namespace PopShell.Commands
{
    /// <summary>Export-Pop3Mailbox: its help is written once, in help/en-US/Export-Pop3Mailbox.md (syntax and parameters from this class).</summary>
    [Cmdlet(VerbsData.Export, "Pop3Mailbox", HelpUri = HelpLinks.Base + "Export-Pop3Mailbox.md")]
    [OutputType(typeof(Pop3ExportResult))]
    public sealed class ExportPop3MailboxCommand : Pop3Cmdlet, IConnectionParameters
    {
        const int OverallProgressId = 40;

        readonly PipelineThreadQueue pipelineThread = new PipelineThreadQueue();
        readonly Dictionary<MailboxAccount, AccountProgress> running = new Dictionary<MailboxAccount, AccountProgress>();
        CancellationTokenSource? ending;
        AccountExportRun? run;
        int added;
        int nextProgressId = OverallProgressId + 1;
        int finished;
        int failed;

        /// <summary>Host name or address of the POP3 server.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Server { get; set; } = string.Empty;

        /// <summary>TCP port; default 995 for -Security Tls, 110 otherwise.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell(0)]
        [ValidateRange(0, 65535)]
        public int Port { get; set; }

        /// <summary>User name and password.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>An OAuth2 access token; for runs that may outlast it, use -AccessTokenProvider.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SecureString? AccessToken { get; set; }

        /// <summary>A script block that returns an OAuth2 access token, asked at every connection.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public ScriptBlock? AccessTokenProvider { get; set; }

        /// <summary>The mailbox user for -AccessToken or -AccessTokenProvider (usually the e-mail address).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell]
        public string? UserName { get; set; }

        /// <summary>Forces one login mechanism; default: the strongest the server offers.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell]
        public string? AuthenticationMechanism { get; set; }

        /// <summary>Auto (default): implicit TLS on 995, required STLS elsewhere; Tls; StartTls; None.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell(Pop3SecurityMode.Auto)]
        public Pop3SecurityMode Security { get; set; } = Pop3SecurityMode.Auto;

        /// <summary>Accepts the server certificate without validating it. Prefer -CertificateThumbprint.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SwitchText]
        public SwitchParameter SkipCertificateCheck { get; set; }

        /// <summary>SHA-256 (or SHA-1) thumbprints of certificates to accept, even self-signed.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell]
        public string[]? CertificateThumbprint { get; set; }

        /// <summary>Allows a password to be sent over a connection without TLS (-Security None).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SwitchText]
        public SwitchParameter AllowUnencryptedAuthentication { get; set; }

        /// <summary>Seconds to wait for the connection and for each server response.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell(60)]
        [ValidateRange(1, 3600)]
        public int TimeoutSeconds { get; set; } = 60;

        /// <summary>File to append the account's protocol exchange to, with credentials redacted.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell]
        public string? ProtocolLogPath { get; set; }

        /// <summary>The account's export folder (created if missing); for -Format Mbox, the mbox file or a folder.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = string.Empty;

        /// <summary>Eml (default): one file per message; Mbox: one mboxrd file; Maildir: tmp/new/cur.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell(Pop3SaveFormat.Eml)]
        public Pop3SaveFormat Format { get; set; } = Pop3SaveFormat.Eml;

        /// <summary>File names for Eml; the placeholders of Save-Pop3Message -FileNameTemplate.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [EmptyCell]
        public string? FileNameTemplate { get; set; }

        /// <summary>Most accounts exported at once, each on a session of its own.</summary>
        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = 4;

        /// <summary>Deletes each message from the server once it is durably saved and journaled.</summary>
        [Parameter]
        public SwitchParameter Delete { get; set; }

        /// <summary>Deletes each message from the server this many days after it was saved (0: on the next run).</summary>
        [Parameter]
        [ValidateRange(0, 36500)]
        public int DeleteAfterDays { get; set; } = -1;

        /// <summary>Messages larger than this many bytes (by LIST) are not downloaded, and reported; default: no limit.</summary>
        [Parameter]
        [ValidateRange(1L, long.MaxValue)]
        public long MaxMessageSize { get; set; }

        /// <summary>Checks the run's settings and starts the run.</summary>
        protected override void BeginProcessing()
        {
            if (Delete && DeleteAfterDays >= 0)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException("-Delete deletes each message once it is saved, -DeleteAfterDays some days later: give one of them."),
                    "ConflictingDeletionPolicy", ErrorCategory.InvalidArgument, null));
            }
            var settings = new AccountExportSettings
            {
                Deletion = Delete ? DeletionPolicy.AfterSave() : DeleteAfterDays >= 0 ? DeletionPolicy.DaysAfterSave(DeleteAfterDays) : DeletionPolicy.Never(),
                MaxMessageSize = MaxMessageSize > 0 ? MaxMessageSize : null,
            };
            WriteVerbose($"Exporting up to {ThrottleLimit} account(s) at once; {settings.Deletion}.");
            ending = CancellationTokenSource.CreateLinkedTokenSource(CancellationToken);
            run = new AccountExportRun(settings, ThrottleLimit, new Observer(this), ending.Token);
        }

        /// <summary>Starts the account of this input (it runs while the next ones arrive) and shows what the running ones did.</summary>
        protected override void ProcessRecord()
        {
            MailboxAccount account;
            try
            {
                account = new MailboxAccount(ConnectionSettings(), GetUnresolvedProviderPathFromPSPath(Path))
                {
                    Format = (MessageFormat)Format,
                    FileNameTemplate = FileNameTemplate,
                };
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException or SessionStateException or PSInvalidOperationException)
            {
                // A row whose path cannot be used (an unknown drive, a provider that is not the file system): that row only.
                WriteError(new ErrorRecord(ex, "InvalidAccountPath", ErrorCategory.InvalidArgument, $"{UserName ?? Credential?.UserName}@{Server}: {Path}"));
                return;
            }
            if (Credential == null && AccessToken == null && AccessTokenProvider == null)
            {
                WriteError(new ErrorRecord(new PSArgumentException($"The account {account.Name} has no Credential, AccessToken or AccessTokenProvider, so it cannot log in; it was not exported."),
                    "NoCredential", ErrorCategory.InvalidArgument, account.Name));
                return;
            }
            if (AccessTokenProvider is { } provider)
                account.AccessTokenProvider = cancel => pipelineThread.Ask(() => TokenFrom(provider, account), cancel);
            if (SkipCertificateCheck && CertificateThumbprint == null)
                WriteWarning($"-SkipCertificateCheck: the certificate of {Server} will not be validated for {account.Name}. Prefer -CertificateThumbprint.");
            added++;
            run!.Add(account);
            pipelineThread.RunPending();
        }

        /// <summary>Waits for every account, showing progress and results as they come.</summary>
        protected override void EndProcessing()
        {
            try
            {
                pipelineThread.RunUntil(() => finished == added, CancellationToken);
            }
            catch (OperationCanceledException)
            {
                return; // Stopped: the sessions end without QUIT in Release.
            }
            WriteProgress(new ProgressRecord(OverallProgressId, "Exporting mailboxes", "Done") { RecordType = ProgressRecordType.Completed });
            WriteVerbose($"{finished} account(s) done, {failed} failed.");
        }

        /// <summary>Stops the accounts still at work (nothing is deleted from them) and releases the folders.</summary>
        protected override void Release()
        {
            ending?.Cancel();
            run?.Dispose();
            ending?.Dispose();
        }

        ConnectionOptions ConnectionSettings() => this.ToOptions(GetUnresolvedProviderPathFromPSPath);

        // Runs on the pipeline thread: the script block may use the caller's variables and modules.
        static string TokenFrom(ScriptBlock provider, MailboxAccount account)
        {
            foreach (var output in provider.Invoke(account.Connection.EffectiveUserName, account.Connection.Server))
            {
                object? value = output?.BaseObject;
                if (value is SecureString secure)
                    return new NetworkCredential(string.Empty, secure).Password;
                if (value is string text)
                    return text;
                if ((output!.Properties["AccessToken"] ?? output.Properties["access_token"])?.Value is { } property)
                    return property is SecureString s ? new NetworkCredential(string.Empty, s).Password : property.ToString();
            }
            return string.Empty;
        }

        void Finish(AccountExportResult result)
        {
            finished++;
            if (running.TryGetValue(result.Account, out var progress))
            {
                progress.Record.RecordType = ProgressRecordType.Completed;
                WriteProgress(progress.Record);
                running.Remove(result.Account);
            }
            ShowOverallProgress();
            if (result.Error is { } error)
            {
                failed++;
                // An account's failure, whatever its kind, is about that account only: the others go on.
                WriteError(ErrorRecords.Create(error, result.Account.Name));
            }
            WriteObject(new Pop3ExportResult(result));
        }

        void ShowOverallProgress() => WriteProgress(new ProgressRecord(OverallProgressId, "Exporting mailboxes",
            $"{finished} of {added} account(s) done, {failed} failed, {running.Count} at work")
        { PercentComplete = added == 0 ? 0 : finished * 100 / added });

        void Start(MailboxAccount account, int messages, long bytes)
        {
            var record = new ProgressRecord(nextProgressId++, account.Name, $"{messages} message(s), {bytes / 1048576.0:0.0} MB")
            { ParentActivityId = OverallProgressId, PercentComplete = 0 };
            running[account] = new AccountProgress(record, bytes);
            WriteProgress(record);
            ShowOverallProgress();
        }

        void Advance(MailboxAccount account, long done)
        {
            if (!running.TryGetValue(account, out var progress))
                return;
            int percent = progress.Bytes == 0 ? 100 : (int)Math.Min(100, done * 100 / progress.Bytes);
            if (percent == progress.Record.PercentComplete)
                return;
            progress.Record.PercentComplete = percent;
            WriteProgress(progress.Record);
        }

        sealed class AccountProgress
        {
            public AccountProgress(ProgressRecord record, long bytes)
            {
                Record = record;
                Bytes = bytes;
            }

            public ProgressRecord Record { get; }
            public long Bytes { get; }
        }

        // Hands what the accounts' threads report to the pipeline thread, the only one that may write.
        sealed class Observer : IAccountExportObserver
        {
            readonly ExportPop3MailboxCommand command;

            public Observer(ExportPop3MailboxCommand command) => this.command = command;

            public void Started(MailboxAccount account, int messages, long bytes) => command.pipelineThread.Post(() => command.Start(account, messages, bytes));

            public void Advanced(MailboxAccount account, long bytesDone) => command.pipelineThread.Post(() => command.Advance(account, bytesDone));

            public void Warning(MailboxAccount account, string text) => command.pipelineThread.Post(() => command.WriteWarning(text));

            public void Verbose(MailboxAccount account, string text) => command.pipelineThread.Post(() => command.WriteVerbose(text));

            public void Finished(AccountExportResult result) => command.pipelineThread.Post(() => command.Finish(result));
        }
    }
}
