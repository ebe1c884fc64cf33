//! Admission: the analysis slots and the bounded queue in front of them.
//!
//! A request that finds every slot taken waits in a FIFO queue (Tokio's semaphore is fair)
//! instead of being turned away. It is refused with 503 and a `Retry-After` only when
//! - the queue already holds [`Limits::queue`](crate::Limits::queue) requests, or
//! - its expected wait (the requests ahead of it, times how long an analysis has recently held
//!   a slot, shared among the slots) is longer than [`Limits::max_wait`](crate::Limits::max_wait),
//!   or it has waited that long in fact.
//!
//! `Retry-After` is that expected wait, rounded up to whole seconds (at least 1).

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::Error;

/// The slots, the queue and what they have seen.
#[derive(Debug)]
pub struct Admission {
    slots: Arc<Semaphore>,
    concurrency: usize,
    queue: usize,
    max_wait: Duration,
    waiting: AtomicUsize,
    /// Recent time an analysis holds a slot, in microseconds (an exponential moving average over
    /// about sixteen analyses; 0 until the first one ends).
    held_us: AtomicU64,
    /// The longest any admitted request waited, in microseconds.
    longest_wait_us: AtomicU64,
    /// Requests refused because the queue was full or the wait too long.
    refused: AtomicU64,
}

/// What `GET /healthz` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    pub slots: usize,
    pub slots_free: usize,
    pub queue: usize,
    pub queued: usize,
    pub longest_wait: Duration,
    pub refused: u64,
}

/// A taken slot; dropping it frees the slot and records how long it was held.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
    admission: Arc<Admission>,
    taken: Instant,
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.admission.record_held(self.taken.elapsed());
    }
}

/// Decrements the queue count however the wait ends (admitted, refused, or the client gone).
struct InQueue<'a>(&'a AtomicUsize);

impl Drop for InQueue<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Admission {
    /// `concurrency` slots, at most `queue` waiting requests, each for at most `max_wait`.
    pub fn new(concurrency: usize, queue: usize, max_wait: Duration) -> Arc<Self> {
        Arc::new(Admission {
            slots: Arc::new(Semaphore::new(concurrency)),
            concurrency,
            queue,
            max_wait,
            waiting: AtomicUsize::new(0),
            held_us: AtomicU64::new(0),
            longest_wait_us: AtomicU64::new(0),
            refused: AtomicU64::new(0),
        })
    }

    /// Takes a slot, waiting in the queue if need be; `limit` caps the wait further (what is
    /// left of the request's own time limit).
    pub async fn admit(self: &Arc<Self>, limit: Duration) -> Result<Slot, Error> {
        let asked = Instant::now();
        if let Ok(permit) = Arc::clone(&self.slots).try_acquire_owned() {
            return Ok(self.slot(permit));
        }
        let ahead = self.waiting.fetch_add(1, Ordering::AcqRel);
        let _in_queue = InQueue(&self.waiting);
        let expected = self.expected_wait(ahead);
        let max_wait = self.max_wait.min(limit);
        if ahead >= self.queue || expected > max_wait {
            return Err(self.busy(ahead, expected));
        }
        match tokio::time::timeout(max_wait, Arc::clone(&self.slots).acquire_owned()).await {
            Ok(Ok(permit)) => {
                let waited = asked.elapsed();
                self.longest_wait_us
                    .fetch_max(waited.as_micros() as u64, Ordering::Relaxed);
                Ok(self.slot(permit))
            }
            // The semaphore is never closed; treat it as busy rather than panic.
            Ok(Err(_)) | Err(_) => Err(self.busy(ahead, self.expected_wait(ahead))),
        }
    }

    pub fn load(&self) -> Load {
        Load {
            slots: self.concurrency,
            slots_free: self.slots.available_permits(),
            queue: self.queue,
            queued: self.waiting.load(Ordering::Acquire),
            longest_wait: Duration::from_micros(self.longest_wait_us.load(Ordering::Relaxed)),
            refused: self.refused.load(Ordering::Relaxed),
        }
    }

    fn slot(self: &Arc<Self>, permit: OwnedSemaphorePermit) -> Slot {
        Slot {
            _permit: permit,
            admission: Arc::clone(self),
            taken: Instant::now(),
        }
    }

    /// How long a request with `ahead` others before it should wait: every slot must turn over
    /// (ahead / slots + 1) times, each taking the recent holding time. Zero before any sample.
    fn expected_wait(&self, ahead: usize) -> Duration {
        let held = self.held_us.load(Ordering::Relaxed);
        let rounds = (ahead / self.concurrency + 1) as u64;
        Duration::from_micros(held.saturating_mul(rounds))
    }

    fn busy(&self, ahead: usize, expected: Duration) -> Error {
        self.refused.fetch_add(1, Ordering::Relaxed);
        Error::Busy {
            slots: self.concurrency,
            queued: ahead,
            retry_after: expected.as_secs_f64().ceil().max(1.0) as u64,
        }
    }

    /// A new sample weighs 1/16, so the estimate is about the mean of the last sixteen analyses:
    /// one long document does not make the queue refuse everyone behind it.
    fn record_held(&self, held: Duration) {
        let sample = held.as_micros().min(u64::MAX as u128) as u64;
        let _ = self
            .held_us
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |old| {
                Some(if old == 0 { sample } else { (old * 15 + sample) / 16 })
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LONG: Duration = Duration::from_secs(60);

    #[tokio::test]
    async fn a_free_slot_is_taken_at_once_and_freed_on_drop() {
        let a = Admission::new(2, 0, LONG);
        let one = a.admit(LONG).await.unwrap();
        let _two = a.admit(LONG).await.unwrap();
        assert_eq!(a.load().slots_free, 0);
        // No queue: the third is refused at once, with at least a second to wait.
        match a.admit(LONG).await {
            Err(Error::Busy { slots: 2, queued: 0, retry_after: 1 }) => {}
            other => panic!("{other:?}"),
        }
        drop(one);
        assert_eq!(a.load().slots_free, 1);
        assert!(a.admit(LONG).await.is_ok());
        assert_eq!(a.load().refused, 1);
    }

    #[tokio::test]
    async fn waiting_requests_are_admitted_in_order_as_slots_free() {
        let a = Admission::new(1, 4, LONG);
        let first = a.admit(LONG).await.unwrap();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let mut tasks = Vec::new();
        for i in 0..3 {
            let (queue, tx) = (Arc::clone(&a), tx.clone());
            tasks.push(tokio::spawn(async move {
                let slot = queue.admit(LONG).await.unwrap();
                tx.send(i).unwrap();
                tokio::time::sleep(Duration::from_millis(5)).await;
                drop(slot);
            }));
            // Each is queued before the next asks.
            while a.load().queued <= i {
                tokio::task::yield_now().await;
            }
        }
        assert_eq!(a.load().queued, 3);
        drop(first);
        for t in tasks {
            t.await.unwrap();
        }
        let order: Vec<usize> = std::iter::from_fn(|| rx.try_recv().ok()).collect();
        assert_eq!(order, [0, 1, 2]);
        assert_eq!(a.load().queued, 0);
        assert!(a.load().longest_wait > Duration::ZERO);
    }

    #[tokio::test]
    async fn a_full_queue_refuses_and_a_long_wait_times_out() {
        let a = Admission::new(1, 1, Duration::from_millis(50));
        let _held = a.admit(LONG).await.unwrap();
        let waiter = {
            let a = Arc::clone(&a);
            tokio::spawn(async move { a.admit(LONG).await })
        };
        while a.load().queued == 0 {
            tokio::task::yield_now().await;
        }
        // The queue (one place) is full.
        assert!(matches!(a.admit(LONG).await, Err(Error::Busy { queued: 1, .. })));
        // The one waiting gives up after max_wait.
        assert!(matches!(waiter.await.unwrap(), Err(Error::Busy { .. })));
        assert_eq!(a.load().queued, 0);
        assert_eq!(a.load().refused, 2);
    }

    #[tokio::test]
    async fn a_wait_expected_to_exceed_the_limit_is_refused_at_once() {
        let a = Admission::new(1, 8, Duration::from_secs(2));
        // Analyses have been holding their slot for 3 s each.
        a.record_held(Duration::from_secs(3));
        let _held = a.admit(LONG).await.unwrap();
        let asked = Instant::now();
        match a.admit(LONG).await {
            Err(Error::Busy { retry_after: 3, .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(asked.elapsed() < Duration::from_secs(1));
        // The request's own time limit caps the wait too.
        let b = Admission::new(1, 8, LONG);
        b.record_held(Duration::from_secs(3));
        let _held = b.admit(LONG).await.unwrap();
        assert!(b.admit(Duration::from_secs(1)).await.is_err());
    }

    #[test]
    fn the_holding_time_follows_recent_analyses() {
        let a = Admission::new(2, 8, LONG);
        assert_eq!(a.expected_wait(5), Duration::ZERO);
        a.record_held(Duration::from_millis(400));
        assert_eq!(a.expected_wait(0), Duration::from_millis(400));
        // Five ahead on two slots: three rounds.
        assert_eq!(a.expected_wait(5), Duration::from_millis(1200));
        a.record_held(Duration::from_millis(2000));
        assert_eq!(a.expected_wait(0), Duration::from_millis(500));
    }
}
