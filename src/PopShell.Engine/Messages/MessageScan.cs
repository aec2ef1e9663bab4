using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using PopShell.Engine.Sessions;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// Lists the messages a query asks for, batch by batch: the listing filters first (index, UID,
    /// size, and Skip/First when no header filter is set), then headers are read with pipelined
    /// TOP for one batch at a time and the header filters applied. Each batch is handed out as soon
    /// as it is read, so the caller can show results and progress before the whole mailbox is done.
    /// </summary>
    public sealed class MessageScan
    {
        /// <summary>Messages whose headers are read in one pipelined round.</summary>
        public const int DefaultBatchSize = 200;

        // Batches read and still parsing while the next one is read (see Run).
        const int ParsedAhead = 2;

        readonly Pop3Connection connection;
        readonly MessageQuery query;

        /// <summary>Prepares a scan; nothing is sent until <see cref="Run"/> is enumerated.</summary>
        public MessageScan(Pop3Connection connection, MessageQuery query)
        {
            this.connection = connection;
            this.query = query;
        }

        /// <summary>Messages per pipelined batch.</summary>
        public int BatchSize { get; set; } = DefaultBatchSize;

        /// <summary>Also retrieve each matching message whole and read its body and attachment list.</summary>
        public bool IncludeContent { get; set; }

        /// <summary>Most bytes of whole messages retrieved in one pipelined round when <see cref="IncludeContent"/> is set.</summary>
        public long ContentBatchBytes { get; set; } = 16 * 1024 * 1024;

        /// <summary>Indexes or UIDs asked for that the mailbox does not hold; known once <see cref="Run"/> has started.</summary>
        public IReadOnlyList<string> Missing { get; private set; } = Array.Empty<string>();

        /// <summary>Reads and filters, yielding one batch of matching messages at a time.</summary>
        public IEnumerable<ScanBatch> Run(CancellationToken cancellationToken)
        {
            var selection = connection.Select(query, cancellationToken);
            Missing = selection.Missing;

            var candidates = selection.Candidates;
            // Skip and First were already applied to the candidates unless a header filter decides what counts.
            int toSkip = query.NeedsHeaders ? query.Skip : 0;
            int toTake = query.NeedsHeaders ? query.First ?? int.MaxValue : int.MaxValue;
            int scanned = 0;

            // Batches are parsed on other threads while the connection reads the next ones, so the server
            // and the parser work at the same time. Two batches may be parsing while a third is read:
            // with one, the server sat idle whenever a parse took longer than the next read (a third of
            // the listing's time on the bench's 10,000 headers), with nothing left to send it.
            var parsing = new Queue<Task<IReadOnlyList<MessageSummary>>>();
            try
            {
                for (int start = 0; start < candidates.Count && toTake > 0; start += BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int end = Math.Min(start + BatchSize, candidates.Count);
                    var batch = new List<MessageEntry>(end - start);
                    for (int i = start; i < end; i++)
                        batch.Add(candidates[i]);
                    var blocks = connection.ReadHeaderBlocks(batch, cancellationToken);
                    parsing.Enqueue(Task.Run(() => Pop3Connection.ParseHeaderBlocks(batch, blocks, decodeEveryField: query.To != null || query.Headers.Count > 0, cancellationToken)));

                    // A batch is handed out once ParsedAhead more are read behind it, never sooner because its
                    // parse happened to finish: the commands a scan sends (with -IncludeBody, its RETRs) then
                    // come in the same order on every run, which a fuzz case's replay depends on.
                    while (parsing.Count > ParsedAhead)
                        yield return Filter(parsing.Dequeue().GetAwaiter().GetResult());
                }
                while (parsing.Count > 0)
                    yield return Filter(parsing.Dequeue().GetAwaiter().GetResult());
            }
            finally
            {
                // Stopped early (Select-Object -First, Ctrl+C): the batches read ahead are parsed and their
                // buffers released before the connection is used again.
                foreach (var pending in parsing)
                    ((IAsyncResult)pending).AsyncWaitHandle.WaitOne();
            }

            ScanBatch Filter(IReadOnlyList<MessageSummary> summaries)
            {
                scanned += summaries.Count;
                var matches = new List<MessageSummary>(summaries.Count);
                foreach (var summary in summaries)
                {
                    if (toTake == 0 || !query.MatchesHeader(summary))
                        continue;
                    if (toSkip > 0)
                    {
                        toSkip--;
                        continue;
                    }
                    matches.Add(summary);
                    toTake--;
                }
                return new ScanBatch(IncludeContent ? WithContent(matches, cancellationToken) : matches, scanned, candidates.Count);
            }
        }

        // A round of whole messages is held until its bodies are read (small ones in memory, see
        // TemporarySpool), so rounds are bounded by bytes, not count.
        List<MessageSummary> WithContent(List<MessageSummary> matches, CancellationToken cancellationToken)
        {
            var result = new List<MessageSummary>(matches.Count);
            int start = 0;
            while (start < matches.Count)
            {
                int end = start;
                long bytes = 0;
                while (end < matches.Count && (end == start || bytes + matches[end].Entry.Size <= ContentBatchBytes))
                    bytes += matches[end++].Entry.Size;

                var round = matches.GetRange(start, end - start);
                var contents = connection.ReadContents(round.ConvertAll(m => m.Entry), cancellationToken);
                for (int i = 0; i < round.Count; i++)
                    result.Add(round[i] with { Content = contents[i] });
                start = end;
            }
            return result;
        }
    }
}
