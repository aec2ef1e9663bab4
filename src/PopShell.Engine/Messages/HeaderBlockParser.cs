using System.IO;
using System.Threading;
using MimeKit;

namespace PopShell.Engine.Messages
{
    /// <summary>
    /// One MimeKit parser reused for many header blocks, by one thread at a time. HeaderList.Load makes
    /// a new parser for each block, with 4 KB of buffers of its own: a third of the 132 MB a listing
    /// of the bench's 10,000 headers allocated, and the garbage collections that came with it.
    /// </summary>
    internal sealed class HeaderBlockParser
    {
        MimeParser? parser;

        /// <summary>Parses the header block at the stream's position, as HeaderList.Load does.</summary>
        /// <exception cref="System.FormatException">The block is not a header block.</exception>
        public HeaderList Parse(Stream headerBlock, CancellationToken cancellationToken)
        {
            if (parser == null)
                parser = new MimeParser(ParserOptions.Default, headerBlock, MimeFormat.Entity);
            else
                parser.SetStream(headerBlock, MimeFormat.Entity);
            try
            {
                return parser.ParseHeaders(cancellationToken);
            }
            catch
            {
                // Whatever state a failed parse left behind is not carried to the next block.
                parser = null;
                throw;
            }
        }
    }
}
