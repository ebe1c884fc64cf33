//! The byte stream under the WARC parser: a `BufRead` that counts what it has consumed (so errors
//! can give offsets) and can look a few bytes ahead or put bytes back (so a record's end can be
//! checked, and a misplaced record boundary found, without losing data).

use std::io::{self, BufRead, Read};

/// A counting, peekable `BufRead` over `R`.
///
/// Bytes that were peeked or put back live in `pending` and are served before `inner`'s buffer.
/// `pending` stays small (a few bytes) except after [`Stream::unread`], which is bounded by the
/// largest record block the caller buffered.
pub(crate) struct Stream<R> {
    inner: R,
    pending: Vec<u8>,
    /// How much of `pending` has been consumed.
    start: usize,
    /// Bytes consumed so far (minus those put back): the offset of the next byte in the stream.
    offset: u64,
}

impl<R: BufRead> Stream<R> {
    pub(crate) fn new(inner: R) -> Self {
        Stream { inner, pending: Vec::new(), start: 0, offset: 0 }
    }

    /// Offset of the next unread byte, counted from the start of the (uncompressed) stream.
    pub(crate) fn offset(&self) -> u64 {
        self.offset
    }

    /// The next `n` bytes without consuming them; fewer only at the end of the stream.
    pub(crate) fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        if self.pending.len() - self.start < n {
            self.pending.drain(..self.start);
            self.start = 0;
            while self.pending.len() < n {
                let buf = self.inner.fill_buf()?;
                if buf.is_empty() {
                    break;
                }
                let take = buf.len().min(n - self.pending.len());
                self.pending.extend_from_slice(&buf[..take]);
                self.inner.consume(take);
            }
        }
        let avail = &self.pending[self.start..];
        Ok(&avail[..avail.len().min(n)])
    }

    /// Put `bytes` back in front of the stream. They must be the bytes just consumed: the offset
    /// moves back by their length.
    pub(crate) fn unread(&mut self, bytes: &[u8]) {
        let mut pending = Vec::with_capacity(bytes.len() + self.pending.len() - self.start);
        pending.extend_from_slice(bytes);
        pending.extend_from_slice(&self.pending[self.start..]);
        self.pending = pending;
        self.start = 0;
        self.offset = self.offset.saturating_sub(bytes.len() as u64);
    }

    /// Consume bytes while `pred` holds; returns how many.
    pub(crate) fn skip_while(&mut self, pred: impl Fn(u8) -> bool) -> io::Result<u64> {
        let mut skipped = 0;
        loop {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                return Ok(skipped);
            }
            let len = buf.len();
            let n = buf.iter().position(|&b| !pred(b)).unwrap_or(len);
            self.consume(n);
            skipped += n as u64;
            if n < len {
                return Ok(skipped);
            }
        }
    }

    /// Consume through the next `\n` (or to the end); returns how many bytes.
    pub(crate) fn skip_line(&mut self) -> io::Result<u64> {
        let mut skipped = 0;
        loop {
            let buf = self.fill_buf()?;
            if buf.is_empty() {
                return Ok(skipped);
            }
            let (n, found) = match memchr::memchr(b'\n', buf) {
                Some(i) => (i + 1, true),
                None => (buf.len(), false),
            };
            self.consume(n);
            skipped += n as u64;
            if found {
                return Ok(skipped);
            }
        }
    }

    /// Consume whole lines until one starts with `prefix` (left unconsumed) or the stream ends.
    /// The current position counts as a line start. Returns the bytes skipped.
    pub(crate) fn skip_to_line_starting(&mut self, prefix: &[u8]) -> io::Result<u64> {
        let mut skipped = 0;
        loop {
            let head = self.peek(prefix.len())?;
            if head.is_empty() || head == prefix {
                return Ok(skipped);
            }
            skipped += self.skip_line()?;
        }
    }

    /// Read exactly `n` bytes onto the end of `buf`; returns how many were read (fewer only when
    /// the stream ended).
    pub(crate) fn read_into(&mut self, n: u64, buf: &mut Vec<u8>) -> io::Result<u64> {
        let got = self.by_ref().take(n).read_to_end(buf)?;
        Ok(got as u64)
    }

    /// Consume `n` bytes without keeping them; returns how many were there.
    pub(crate) fn discard(&mut self, n: u64) -> io::Result<u64> {
        io::copy(&mut self.by_ref().take(n), &mut io::sink())
    }
}

impl<R: BufRead> Read for Stream<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let buf = self.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Stream<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.start < self.pending.len() {
            return Ok(&self.pending[self.start..]);
        }
        if !self.pending.is_empty() {
            self.pending.clear();
            self.start = 0;
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.start < self.pending.len() {
            // `fill_buf` returned `pending`, so `n` is at most what is left of it.
            self.start = (self.start + n).min(self.pending.len());
        } else {
            self.inner.consume(n);
        }
        self.offset += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that hands out one byte at a time, as a gzip decoder at a member boundary may.
    struct Trickle<'a>(&'a [u8]);

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() || out.is_empty() {
                return Ok(0);
            }
            out[0] = self.0[0];
            self.0 = &self.0[1..];
            Ok(1)
        }
    }

    #[test]
    fn peek_unread_and_offsets() {
        let data = b"abc\ndef\nWARC/1.0\nrest";
        let mut s = Stream::new(io::BufReader::with_capacity(1, Trickle(data)));
        assert_eq!(s.peek(5).unwrap(), b"abc\nd");
        assert_eq!(s.offset(), 0);
        assert_eq!(s.skip_line().unwrap(), 4);
        assert_eq!(s.offset(), 4);
        assert_eq!(s.skip_to_line_starting(b"WARC/1.").unwrap(), 4);
        assert_eq!(s.offset(), 8);
        let mut got = Vec::new();
        assert_eq!(s.read_into(9, &mut got).unwrap(), 9);
        assert_eq!(got, b"WARC/1.0\n");
        s.unread(b"1.0\n");
        assert_eq!(s.offset(), 13);
        let mut rest = String::new();
        s.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "1.0\nrest");
        assert_eq!(s.offset(), data.len() as u64);
        assert_eq!(s.peek(3).unwrap(), b"");
    }

    #[test]
    fn skip_while_and_discard_cross_buffer_boundaries() {
        let data = b"\r\n\r\n\nXYZ0123456789";
        let mut s = Stream::new(io::BufReader::with_capacity(2, Trickle(data)));
        assert_eq!(s.skip_while(|b| b == b'\r' || b == b'\n').unwrap(), 5);
        assert_eq!(s.peek(3).unwrap(), b"XYZ");
        assert_eq!(s.discard(5).unwrap(), 5);
        assert_eq!(s.offset(), 10);
        assert_eq!(s.discard(100).unwrap(), 8);
        assert_eq!(s.skip_to_line_starting(b"WARC/").unwrap(), 0, "nothing left to skip");
    }
}
