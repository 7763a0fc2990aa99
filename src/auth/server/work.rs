//! One bound on password work for the whole process. An Argon2id hash or check (sign-in,
//! setting a password) holds 19 MiB and a core for tens of milliseconds. On the blocking
//! pool unbounded (up to 512 threads), a burst of sign-ins, unknown emails included (they
//! are checked against a dummy hash), ran hundreds at once: 200 took the server from 58 MB
//! to 3.8 GB resident, and the allocator kept it. So every hash and check runs here, on one
//! thread per core kept for the purpose (each reuses its Argon2 memory, `argon`): at most
//! one per core at a time, at most [`MAX_WAITING`] more queued in order, and anyone past
//! that is told at once that Tohu is busy (the routes answer 503 with `Retry-After`)
//! instead of queueing until the request times out.
//!
//! The bound is a `static`, unlike the rest of the state: what it protects is the process's
//! memory and cores, whichever request path, router or test app asks.

use std::num::NonZeroUsize;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, LazyLock, Mutex};

use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

use crate::error::AppError;

/// Password work that may wait its turn; more is refused at once.
pub const MAX_WAITING: usize = 32;
/// Seconds a client told "busy" is asked to wait before trying again (`Retry-After`).
pub const RETRY_AFTER_SECS: u32 = 5;
/// What the pages say when password work is refused.
pub const BUSY: &str = "Tohu is busy: please try again in a few seconds.";

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// Every core is hashing and the queue is full.
    #[error("password work is at its bound")]
    Busy,
    /// The work panicked, or no worker thread could be started.
    #[error("password work stopped")]
    Stopped,
}

impl From<WorkError> for AppError {
    fn from(e: WorkError) -> Self {
        match e {
            WorkError::Busy => AppError::Busy,
            WorkError::Stopped => {
                tracing::error!("password work stopped");
                AppError::Internal
            }
        }
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// At most `at_once` jobs running, each on one of `at_once` threads of its own, and
/// `max_waiting` queued behind them.
#[derive(Debug)]
pub struct Bound {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
    /// To the worker threads; they end when the bound is dropped.
    jobs: mpsc::Sender<Job>,
    workers: usize,
}

/// The process's bound: one job per core.
static PASSWORDS: LazyLock<Bound> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
    Bound::new(cores, MAX_WAITING)
});

/// Runs `work` (an Argon2 hash or check) on a worker thread under the process's bound.
pub async fn run<T, F>(work: F) -> Result<T, WorkError>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    PASSWORDS.run(work).await
}

impl Bound {
    pub fn new(at_once: usize, max_waiting: usize) -> Self {
        let at_once = at_once.max(1);
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        let mut workers = 0;
        for n in 0..at_once {
            let queue = queue.clone();
            let started = std::thread::Builder::new()
                .name(format!("tohu-password-{n}"))
                .spawn(move || work_off(&queue));
            match started {
                Ok(_) => workers += 1,
                Err(e) => tracing::error!(error = %e, "password worker not started"),
            }
        }
        Self {
            running: Arc::new(Semaphore::new(workers)),
            waiting: AtomicUsize::new(0),
            max_waiting,
            jobs,
            workers,
        }
    }

    /// Runs `work` on a worker thread once a slot is free; [`WorkError::Busy`] at once
    /// when none is and the queue is full. The slot goes with the work, so a caller that
    /// gives up (a request timed out, a client gone) does not free it while the work runs.
    pub async fn run<T, F>(&self, work: F) -> Result<T, WorkError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        if self.workers == 0 {
            return Err(WorkError::Stopped);
        }
        let slot = match self.running.clone().try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => self.queue().await?,
        };
        let (done, answer) = oneshot::channel();
        let job: Job = Box::new(move || {
            let out = catch_unwind(AssertUnwindSafe(work));
            drop(slot);
            let _ = done.send(out);
        });
        self.jobs.send(job).map_err(|_| WorkError::Stopped)?;
        match answer.await {
            Ok(Ok(out)) => Ok(out),
            _ => Err(WorkError::Stopped),
        }
    }

    /// Waits in line for a slot, if there is room in the line.
    async fn queue(&self) -> Result<OwnedSemaphorePermit, WorkError> {
        self.waiting
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |w| {
                (w < self.max_waiting).then_some(w + 1)
            })
            .map_err(|_| WorkError::Busy)?;
        // Leaves the line however the wait ends, a dropped request included.
        let _in_line = InLine(&self.waiting);
        // The semaphore is never closed; a closed one would mean no more work anyway.
        self.running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| WorkError::Busy)
    }
}

/// A worker thread: runs jobs one after another until the bound is dropped.
fn work_off(queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        let job = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match job {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

struct InLine<'a>(&'a AtomicUsize);

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn runs_at_most_its_bound_and_refuses_past_the_queue() {
        let bound = Bound::new(2, 3);
        let now = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let jobs = (0..10).map(|_| {
            let (now, most) = (now.clone(), most.clone());
            bound.run(move || {
                let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(n, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(50));
                now.fetch_sub(1, Ordering::SeqCst);
            })
        });
        let results = futures::future::join_all(jobs).await;
        let done = results.iter().filter(|r| r.is_ok()).count();
        let busy = results
            .iter()
            .filter(|r| matches!(r, Err(WorkError::Busy)))
            .count();
        assert_eq!(
            (done, busy),
            (5, 5),
            "2 running and 3 waiting; the rest refused"
        );
        assert_eq!(most.load(Ordering::SeqCst), 2);
        assert_eq!(bound.waiting.load(Ordering::SeqCst), 0);
        // Once idle, work is taken again.
        assert!(bound.run(|| ()).await.is_ok());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_that_gives_up_leaves_the_line_but_its_work_keeps_the_slot() {
        let bound = Arc::new(Bound::new(1, 1));
        let (release, held) = mpsc::channel::<()>();
        // The caller stops waiting; its work is still running and keeps the only slot.
        let gave_up = tokio::time::timeout(
            Duration::from_millis(50),
            bound.run(move || held.recv().ok()),
        )
        .await;
        assert!(gave_up.is_err());
        // A waiter that gives up leaves the line...
        let waited = tokio::time::timeout(Duration::from_millis(50), bound.run(|| ())).await;
        assert!(waited.is_err());
        assert_eq!(bound.waiting.load(Ordering::SeqCst), 0);
        // ...so the next one may wait, and gets the slot when the first work ends.
        let next = tokio::spawn({
            let bound = bound.clone();
            async move { bound.run(|| 7).await }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(matches!(bound.run(|| ()).await, Err(WorkError::Busy)));
        release.send(()).unwrap();
        assert_eq!(next.await.unwrap().unwrap(), 7);
    }

    #[tokio::test]
    async fn the_process_bound_runs_work_and_survives_a_panic() {
        assert_eq!(run(|| 1 + 1).await.unwrap(), 2);
        let bound = Bound::new(1, 0);
        let panicked = bound.run(|| panic!("in the work")).await;
        assert!(matches!(panicked, Err(WorkError::Stopped)));
        assert_eq!(bound.run(|| 3).await.unwrap(), 3, "the worker lives on");
    }
}
