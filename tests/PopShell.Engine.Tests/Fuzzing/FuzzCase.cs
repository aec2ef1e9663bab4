using System.Net;
using System.Security.Cryptography;
using MimeKit;

namespace PopShell.Engine.Tests.Fuzzing;

/// <summary>
/// One fuzz case: a mailbox and mutations drawn from (seed, case number), one session of the real
/// engine against them (connect and log in, mailbox info, listing and headers, perhaps bodies,
/// perhaps attachments, export with or without deletion, end of session), then every invariant
/// checked. <see cref="Run"/> returns what
/// broke, or null.
/// </summary>
internal sealed class FuzzCase
{
    static readonly MessageFormat[] Formats = { MessageFormat.Eml, MessageFormat.Maildir, MessageFormat.Mbox };

    readonly int seed;
    readonly int number;
    readonly FuzzMailbox mailbox;
    readonly FuzzMailbox nextMailbox;
    readonly IReadOnlyList<ReplyMutation> mutations;
    readonly List<InMemoryPop3Server> servers = new();
    readonly bool rerun;
    readonly int rerunSeed;
    InMemoryPop3Server server;
    readonly MessageFormat format;
    readonly bool delete;
    readonly bool discard;
    readonly bool includeBody;
    readonly bool extractAttachments;
    readonly string attachments;
    readonly List<MessageSummary> listed = new();
    readonly List<AttachmentOutcome> attachmentOutcomes = new();
    readonly int batchCount;
    readonly string root;
    readonly string target;
    readonly List<ExportOutcome> outcomes = new();
    readonly List<string> problems = new();
    string ending = "completed";

    public FuzzCase(int seed, int number, string baseDirectory)
    {
        this.seed = seed;
        this.number = number;
        // Not HashCode.Combine: it is salted per process, and a case must replay in any run.
        var rng = new Random(unchecked(seed * 1_000_003 + number));
        mailbox = FuzzMailboxGenerator.Generate(rng);
        // Drawn from a generator of their own, so the cases that ran before attachments were added run as they did.
        var extra = new Random(unchecked(seed * 1_000_003 + number) ^ 0x2F3A51C7);
        extractAttachments = extra.Next(5) == 0;
        if (extractAttachments)
            mailbox = FuzzAttachments.Add(mailbox, extra);
        mutations = ReplyMutation.Plan(rng);
        server = Start(mailbox, mutations, rng.Next());
        format = Formats[rng.Next(Formats.Length)];
        delete = rng.Next(3) != 0;
        discard = rng.Next(6) == 0;
        includeBody = rng.Next(6) == 0;
        batchCount = rng.Next(1, 5);
        root = Path.Combine(baseDirectory, $"case-{number}");
        target = Path.Combine(root, "target");
        attachments = Path.Combine(root, "attachments");
        // Drawn last, so adding them left the earlier cases as they were.
        rerun = rng.Next(4) == 0;
        rerunSeed = rng.Next();
        nextMailbox = rng.Next(2) == 0 ? FuzzMailboxGenerator.WithNewTwin(mailbox, rng) : mailbox;
    }

    InMemoryPop3Server Start(FuzzMailbox served, IReadOnlyList<ReplyMutation> planned, int chunkSeed)
    {
        var started = new InMemoryPop3Server(served, planned, chunkSeed)
        {
            BeforeDele = CheckSavedBeforeDele,
            BeforeQuit = CheckNothingUnsavedExpires,
        };
        servers.Add(started);
        return started;
    }

    /// <summary>How the session went, for the run's statistics: its end, messages saved, messages deleted at QUIT.</summary>
    public (string Ending, int Saved, int Deleted) Statistics =>
        (ending, outcomes.Count(o => o.Error == null && !o.Skipped), servers.Where(s => s.QuitReceived).Sum(s => s.Marked.Count));

    /// <summary>Runs the session and checks it; returns a report of every broken invariant, or null.</summary>
    public string? Run()
    {
        Directory.CreateDirectory(target);
        try
        {
            Session(newOnly: false);
            if (rerun)
            {
                // The next scheduled run against the same mailbox (perhaps with new mail), this time an honest
                // server: -NewOnly must skip by the journal only what it can prove was saved, and delete nothing else.
                server = Start(nextMailbox, Array.Empty<ReplyMutation>(), rerunSeed);
                Session(newOnly: true);
            }
            CheckFiles();
            CheckOutcomes();
            CheckBodies();
            CheckAttachments();
            problems.AddRange(servers.SelectMany(s => s.Violations));
            return problems.Count == 0 ? null : Report();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    void Session(bool newOnly)
    {
        var options = new ConnectionOptions
        {
            Server = "fuzz.invalid",
            Port = ConnectionOptions.PlainPort,
            Security = TransportSecurity.None,
            AllowUnencryptedAuthentication = true,
            Credential = new NetworkCredential("alice", "secret"),
            Timeout = TimeSpan.FromSeconds(2),
        };
        Pop3Connection? connection = null;
        try
        {
            connection = Pop3Connection.Open(options, () => server, CancellationToken.None);
            connection.GetMailboxInfo();
            var listing = connection.GetListing(CancellationToken.None);
            var scan = new MessageScan(connection, new MessageQuery()) { IncludeContent = includeBody, BatchSize = batchCount };
            foreach (var batch in scan.Run(CancellationToken.None))
                listed.AddRange(batch.Matches);
            if (extractAttachments && !newOnly)
            {
                foreach (var outcome in new AttachmentExtractor(connection, attachments, null).Extract(listing.Entries, CancellationToken.None))
                    attachmentOutcomes.Add(outcome);
            }

            server.Exporting = true;
            using (var exporter = new MessageExporter(connection, new ExportOptions { Path = target, Format = format, Delete = delete, BatchCount = batchCount, NewOnly = newOnly }))
            {
                foreach (var outcome in exporter.Export(listing.Entries, CancellationToken.None))
                    outcomes.Add(outcome);
            }
            connection.Close(discard, CancellationToken.None);
        }
        catch (PopShellException ex)
        {
            ending = ex.Kind.ToString();
            // The engine's one way to fail. As Disconnect-Pop3 in a script's finally block would, end the session.
            EndAfterFailure(connection);
        }
        catch (Exception ex)
        {
            problems.Add($"An exception other than PopShellException escaped: {ex}");
            connection?.Dispose();
        }
    }

    void EndAfterFailure(Pop3Connection? connection)
    {
        if (connection == null)
            return;
        try
        {
            connection.Close(discard: false, CancellationToken.None);
        }
        catch (PopShellException)
        {
        }
        catch (Exception ex)
        {
            problems.Add($"Closing after a failure threw an exception other than PopShellException: {ex}");
        }
        finally
        {
            connection.Dispose();
        }
    }

    // DELE n is only sent once message n is durably saved: its hash in the journal (which records
    // messages with a UID only), and for Eml and Maildir its exact bytes in the folder (the mbox
    // is held exclusively while the export runs; CheckOutcomes checks it afterwards).
    string? CheckSavedBeforeDele(int message)
    {
        var accepted = Accepted(message);
        if (!servers.SelectMany(s => s.Retrieved).Any(r => r.Number == message))
            return "the message was never retrieved";
        // The client has UIDs only if it asked for the whole UIDL listing (a server without UIDL gets a probe, "UIDL 1").
        if (server.Commands.Contains("UIDL"))
        {
            var journal = JournalText();
            if (!accepted.Any(a => journal.Contains("\t" + Sha256(a) + "\t", StringComparison.Ordinal)))
                return "the journal does not record the message's bytes";
        }
        return format == MessageFormat.Mbox || IsOnDisk(accepted) ? null : "no file holds the message's bytes";
    }

    // On an EXPIRE 0 server QUIT deletes everything retrieved: every message the export retrieved must be saved.
    string? CheckNothingUnsavedExpires()
    {
        if (!mailbox.AnnouncesExpireZero || server.CapabilitiesTampered)
            return null;
        var unsaved = server.Retrieved.Where(r => r.Export).Select(r => r.Number).Distinct()
            .Where(n => !IsOnDisk(Accepted(n))).ToList();
        return unsaved.Count == 0 ? null : $"EXPIRE 0 and message(s) {string.Join(", ", unsaved)} were retrieved but not saved";
    }

    bool IsOnDisk(List<byte[]> accepted)
    {
        if (format == MessageFormat.Mbox)
        {
            string path = Path.Combine(target, "mailbox.mbox");
            byte[] mbox = File.Exists(path) ? File.ReadAllBytes(path) : Array.Empty<byte>();
            return accepted.Any(a => mbox.AsSpan().IndexOf(Stored(a)) >= 0);
        }
        var files = MessageFiles().Select(File.ReadAllBytes).ToList();
        return accepted.Any(a => files.Any(f => f.AsSpan().SequenceEqual(Stored(a))));
    }

    void CheckFiles()
    {
        foreach (string file in Directory.GetFiles(root, "*", SearchOption.AllDirectories))
        {
            bool attachment = file.StartsWith(attachments + Path.DirectorySeparatorChar, StringComparison.Ordinal);
            string relative = Path.GetRelativePath(target, file);
            if (attachment ? Path.GetDirectoryName(file) != attachments : relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative))
                problems.Add($"A file outside the target folder: {file}");
            string name = Path.GetFileName(file);
            if ((name.StartsWith(DurableFile.TempPrefix, StringComparison.Ordinal) && name.EndsWith(DurableFile.TempSuffix, StringComparison.Ordinal))
                || name.EndsWith(".popshell-length", StringComparison.Ordinal)
                || relative.StartsWith("tmp" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                problems.Add($"A temporary file was left: {relative}");
        }
    }

    void CheckOutcomes()
    {
        var saved = outcomes.Where(o => o.Error == null && !o.Skipped).ToList();
        foreach (var outcome in saved)
        {
            var accepted = Accepted(outcome.Entry.Number);
            var match = accepted.FirstOrDefault(a => Sha256(a) == outcome.Sha256);
            if (match == null)
            {
                problems.Add($"Message {outcome.Entry.Number} (UID {outcome.Entry.Uid}) was reported saved with SHA-256 {outcome.Sha256}, which matches no reply the server sent for it.");
                continue;
            }
            if (format != MessageFormat.Mbox && !(File.Exists(outcome.Path) && File.ReadAllBytes(outcome.Path).AsSpan().SequenceEqual(Stored(match))))
                problems.Add($"Message {outcome.Entry.Number} (UID {outcome.Entry.Uid}): the file '{outcome.Path}' does not hold the bytes served.");
            if (outcome.Deleted && !servers.Any(s => s.Commands.Contains($"DELE {outcome.Entry.Number}")))
                problems.Add($"Message {outcome.Entry.Number} was reported deleted but DELE {outcome.Entry.Number} was never sent.");
        }
        if (format == MessageFormat.Mbox && saved.Count > 0)
            CheckMbox(saved);
        // Checked at DELE time too, but the mbox could not be read then.
        foreach (int message in servers.SelectMany(s => s.Marked))
        {
            if (!IsOnDisk(Accepted(message)))
                problems.Add($"Message {message} was marked for deletion, but the target does not hold it.");
        }
        foreach (var outcome in outcomes.Where(o => o.Error != null && o.Deleted))
            problems.Add($"Message {outcome.Entry.Number} failed ({outcome.Error!.Message}) yet was reported deleted.");
    }

    // A body read with -IncludeBody is what MimeKit reads from a whole reply to RETR of that message, never from partial bytes.
    void CheckBodies()
    {
        foreach (var summary in listed.Where(s => s.Content != null))
        {
            var content = summary.Content!;
            bool whole = Accepted(summary.Entry.Number).Select(a => MessageContent.Read(new MemoryStream(a))).Any(c =>
                c.Body == content.Body && c.Attachments.SequenceEqual(content.Attachments));
            if (!whole)
                problems.Add($"Message {summary.Entry.Number} (UID {summary.Entry.Uid}) was listed with a body and attachments that no whole reply to RETR {summary.Entry.Number} holds.");
        }
    }

    // A saved attachment holds the decoded bytes of an attachment of a whole reply to RETR of its message.
    void CheckAttachments()
    {
        foreach (var outcome in attachmentOutcomes.Where(o => o.Error == null))
        {
            var decoded = Accepted(outcome.Entry.Number).SelectMany(DecodedAttachments).ToList();
            byte[] saved = File.Exists(outcome.Path) ? File.ReadAllBytes(outcome.Path) : Array.Empty<byte>();
            if (!decoded.Any(d => d.AsSpan().SequenceEqual(saved)))
                problems.Add($"Message {outcome.Entry.Number} (UID {outcome.Entry.Uid}): the attachment '{outcome.Path}' does not hold an attachment of any whole reply to RETR {outcome.Entry.Number}.");
        }
    }

    static IEnumerable<byte[]> DecodedAttachments(byte[] message)
    {
        MimeMessage parsed;
        try
        {
            parsed = MimeMessage.Load(new MemoryStream(message));
        }
        catch (FormatException)
        {
            yield break;
        }
        foreach (var part in parsed.Attachments.OfType<MimePart>())
        {
            var bytes = new MemoryStream();
            part.Content?.DecodeTo(bytes);
            yield return bytes.ToArray();
        }
    }

    // The mbox holds whole messages only, each a "From " line, then the LF, mboxrd-quoted bytes of a
    // message as the server sent it, then a blank line; every message reported saved is among them.
    // (A batch cut short is saved but not reported, so the file may hold more than was reported.)
    void CheckMbox(List<ExportOutcome> saved)
    {
        byte[] mbox = File.ReadAllBytes(Path.Combine(target, "mailbox.mbox"));
        var allowed = nextMailbox.Messages.SelectMany((_, i) => Accepted(i + 1)).Select(a => Stored(a).Concat("\n"u8.ToArray()).ToArray()).ToList();
        var found = new List<byte[]>();
        int at = 0;
        while (at < mbox.Length)
        {
            int bodyStart = Array.IndexOf(mbox, (byte)'\n', at) + 1;
            var whole = bodyStart > 0 && mbox.AsSpan(at).StartsWith("From "u8)
                ? allowed.FirstOrDefault(c => mbox.AsSpan(bodyStart).StartsWith(c)
                    && (bodyStart + c.Length == mbox.Length || mbox.AsSpan(bodyStart + c.Length).StartsWith("From "u8)))
                : null;
            if (whole == null)
            {
                problems.Add($"The mbox holds something that is not a whole message the server sent, at offset {at}.");
                return;
            }
            found.Add(whole);
            at = bodyStart + whole.Length;
        }
        foreach (var outcome in saved)
        {
            var served = Accepted(outcome.Entry.Number).FirstOrDefault(a => Sha256(a) == outcome.Sha256);
            if (served != null && !found.Any(f => f.AsSpan().SequenceEqual(Stored(served).Concat("\n"u8.ToArray()).ToArray())))
                problems.Add($"The mbox does not hold message {outcome.Entry.Number}, reported saved.");
        }
    }

    /// <summary>
    /// What a file for message n may hold: the honest message, or what a (perhaps damaged) reply to
    /// RETR n framed, if its size is the listed one (or 2 more, ending in CRLF: the one tolerance the
    /// spec allows). Anything else was cut short, padded, or belongs to another reply.
    /// </summary>
    List<byte[]> Accepted(int message)
    {
        var honest = nextMailbox.ByNumber(message);
        if (honest == null)
            return new List<byte[]>();
        bool listed = long.TryParse(honest.ListSize, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long size);
        var accepted = new List<byte[]> { honest.Served };
        accepted.AddRange(servers.SelectMany(s => s.Retrieved)
            .Where(r => r.Number == message && r.Content != null && listed
                && (r.Content.Length == size || (r.Content.Length == size + 2 && r.Content.AsSpan().EndsWith("\r\n"u8))))
            .Select(r => r.Content!));
        return accepted;
    }

    /// <summary>A message's bytes as the target format stores them: as is in .eml, LF line ends (and mboxrd quoting) otherwise.</summary>
    byte[] Stored(byte[] served)
    {
        if (format == MessageFormat.Eml)
            return served;
        var text = Encoding.Latin1.GetString(served).Replace("\r\n", "\n");
        if (format == MessageFormat.Mbox)
            text = string.Join("\n", text.Split('\n').Select(l => l.TrimStart('>').StartsWith("From ", StringComparison.Ordinal) ? ">" + l : l));
        return Encoding.Latin1.GetBytes(text);
    }

    IEnumerable<string> MessageFiles() =>
        Directory.GetFiles(target, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith(".popshell-", StringComparison.Ordinal));

    string JournalText()
    {
        var path = Directory.GetFiles(target, ".popshell-saved-*.log").SingleOrDefault();
        if (path == null)
            return string.Empty;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    static string Sha256(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes));

    string Report()
    {
        var text = new StringBuilder();
        text.Append($"Fuzz case {number} of seed {seed} (replay: ServerTranscriptFuzzTests.Replays_one_case({seed}, {number})), {format}, delete {delete}, discard {discard}, batches of {batchCount}{(includeBody ? ", bodies" : "")}{(extractAttachments ? ", attachments" : "")}{(rerun ? ", then a -NewOnly run" : "")}:\n");
        foreach (var problem in problems)
            text.Append("  - ").Append(problem).Append('\n');
        text.Append("Mutations: ").Append(mutations.Count == 0 ? "none" : string.Join("; ", mutations)).Append('\n');
        text.Append(mailbox.Describe());
        if (nextMailbox != mailbox)
            text.Append("Next run's new mail: ").Append(nextMailbox.Describe().Split('\n')[^2]).Append('\n');
        foreach (var session in servers)
            text.Append("Client sent: ").Append(string.Join(" | ", session.Commands.Select(c => c.Length > 60 ? c[..60] + "..." : c))).Append('\n');
        return text.ToString();
    }
}
