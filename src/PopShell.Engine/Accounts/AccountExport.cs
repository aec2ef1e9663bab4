using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using PopShell.Engine.Errors;
using PopShell.Engine.Export;
using PopShell.Engine.Messages;
using PopShell.Engine.Sessions;

namespace PopShell.Engine.Accounts
{
    /// <summary>
    /// The scheduled export of one account, start to end: hold its folder, connect (with a fresh
    /// token if it has a provider), save what is new through <see cref="MessageExporter"/> (journaled
    /// as always), mark what the deletion policy says, and QUIT. An account either completes and
    /// commits its deletions, or fails and commits none: on any failure the session ends without
    /// QUIT, so the server deletes nothing, and the next run picks up where this one stopped.
    /// </summary>
    internal static class AccountExport
    {
        public static AccountExportResult Run(
            MailboxAccount account, AccountExportSettings settings, HeldDestinations destinations,
            IAccountExportObserver observer, CancellationToken cancellationToken)
        {
            var result = new AccountExportResult(account);
            var clock = Stopwatch.StartNew();
            try
            {
                using (destinations.Enter(DestinationLock.FolderOf(account.Path, account.Format), cancellationToken))
                    Export(account, settings, result, observer, cancellationToken);
            }
            catch (PopShellException ex)
            {
                result.Error = ex;
            }
            catch (OperationCanceledException ex)
            {
                result.Error = new PopShellException(PopShellErrorKind.Cancelled, $"The export of {account.Name} was stopped; nothing was deleted.", null, ex);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The journal or a folder sync failed (a full disk): what was written but not journaled is saved again next time.
                result.Error = new PopShellException(
                    PopShellErrorKind.WriteFailed,
                    $"The export of {account.Name} to '{account.Path}' stopped: {ex.Message}. The session was ended without QUIT, so nothing was deleted.",
                    "Free disk space (or fix the folder's permissions) and run the export again; it carries on where it stopped.",
                    ex);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or NotSupportedException)
            {
                // Settings the engine cannot use (checked when connecting): this account fails, the others go on.
                result.Error = new PopShellException(PopShellErrorKind.ExportNotPossible, $"The export of {account.Name} cannot run: {ex.Message}", null, ex);
            }
            result.Duration = clock.Elapsed;
            return result;
        }

        static void Export(MailboxAccount account, AccountExportSettings settings, AccountExportResult result, IAccountExportObserver observer, CancellationToken cancellationToken)
        {
            var started = DateTimeOffset.UtcNow;
            var options = account.Connection;
            if (account.AccessTokenProvider != null)
                options = options.WithAccessToken(AskForToken(account, cancellationToken));

            observer.Verbose(account, $"Connecting to {options.Server}:{options.EffectivePort} ({options.EffectiveSecurity}) for {account.Name}.");
            using var connection = Pop3Connection.Open(options, cancellationToken);
            if (connection.ExpireDays == 0)
                observer.Warning(account, $"The server {connection.Server} deletes every retrieved message when the session ends (EXPIRE 0): saved messages leave the server whatever the deletion policy says.");

            var listing = connection.GetListing(cancellationToken);
            var wanted = new List<MessageEntry>(listing.Count);
            foreach (var entry in listing.Entries)
            {
                if (settings.MaxMessageSize is { } limit && entry.Size > limit)
                {
                    result.TooLarge++;
                    observer.Warning(account, $"Message UID {entry.Uid} of {account.Name} ({entry.Size} bytes) is larger than the limit of {limit} bytes: it was not downloaded and stays on the server.");
                }
                else
                {
                    wanted.Add(entry);
                }
            }
            observer.Started(account, wanted.Count, wanted.Sum(e => e.Size));

            var exportOptions = new ExportOptions { Path = account.Path, Format = account.Format, FileNameTemplate = account.FileNameTemplate, NewOnly = true };
            settings.Deletion.ApplyTo(exportOptions, started);
            observer.Verbose(account, $"Saving {wanted.Count} message(s) of {account.Name} to {account.Path} ({account.Format}); {settings.Deletion}.");

            int marked = 0;
            long done = 0;
            using (var exporter = new MessageExporter(connection, exportOptions))
            {
                foreach (var outcome in exporter.Export(wanted, cancellationToken))
                {
                    done += outcome.Entry.Size;
                    observer.Advanced(account, done);
                    if (outcome.Deleted)
                        marked++;
                    if (outcome.DeleteError != null)
                        observer.Warning(account, $"Message UID {outcome.Entry.Uid} of {account.Name} is saved, but the server refused to delete it: {outcome.DeleteError.Message}");
                    if (outcome.Error != null)
                    {
                        result.Failed++;
                        result.Error ??= outcome.Error;
                        // A full or broken disk fails every message after it too: stop downloading.
                        if (outcome.Error.Kind == PopShellErrorKind.WriteFailed)
                            break;
                    }
                    else if (outcome.Skipped)
                    {
                        result.Skipped++;
                    }
                    else
                    {
                        result.Saved++;
                        result.Bytes += outcome.Size;
                    }
                }
            }

            result.Kept = listing.Count;
            if (result.Error != null)
            {
                // Nothing is committed for an account that failed: the session ends without QUIT.
                observer.Verbose(account, $"Ending the session with {account.Name} without QUIT after a failure: nothing is deleted.");
                return;
            }

            var quit = connection.Close(discard: false, cancellationToken);
            if (!quit.Acknowledged && marked > 0)
            {
                result.Error = new PopShellException(
                    PopShellErrorKind.ConnectionLost,
                    $"The server {connection.Server} did not acknowledge QUIT for {account.Name} ({quit.NotSentBecause ?? quit.Reply ?? "no reply"}): the {marked} message(s) marked for deletion may or may not have been deleted.",
                    "Run the export again: what was saved is skipped, and what is still on the server is deleted as the policy says.");
                return;
            }
            result.Deleted = quit.Deleted;
            result.Kept = listing.Count - quit.Deleted;
            observer.Verbose(account, $"{account.Name}: saved {result.Saved}, skipped {result.Skipped}, deleted {result.Deleted}, kept {result.Kept}.");
        }

        static string AskForToken(MailboxAccount account, CancellationToken cancellationToken)
        {
            string? token;
            try
            {
                token = account.AccessTokenProvider!(cancellationToken);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException))
            {
                throw new PopShellException(
                    PopShellErrorKind.AuthenticationFailed,
                    $"The access token provider of {account.Name} failed: {ex.Message}",
                    "Run the provider on its own to see why it fails (an expired client secret, a missing consent).",
                    ex);
            }
            if (string.IsNullOrEmpty(token))
            {
                throw new PopShellException(
                    PopShellErrorKind.AuthenticationFailed,
                    $"The access token provider of {account.Name} returned no token.",
                    "The provider must return the access token as a string or SecureString (or an object with an AccessToken or access_token property).");
            }
            return token!;
        }
    }
}
