//! The message ids already accepted, each until its timestamp leaves the tolerance window:
//! what [`crate::Webhook::with_replay_guard`] refuses a second delivery with.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Mutex;

use crate::Error;

/// Accepted ids and when each expires, in Unix seconds; bounded.
#[derive(Debug)]
pub(crate) struct ReplayGuard {
    capacity: usize,
    seen: Mutex<Seen>,
}

#[derive(Debug, Default)]
struct Seen {
    expiry: HashMap<Box<[u8]>, i64>,
    /// The same ids by expiry, soonest first. An entry whose id was forgotten or accepted
    /// again holds an expiry the map no longer has, and is skipped.
    by_expiry: BinaryHeap<Reverse<(i64, Box<[u8]>)>>,
}

impl ReplayGuard {
    pub(crate) fn new(capacity: usize) -> ReplayGuard {
        ReplayGuard { capacity: capacity.max(1), seen: Mutex::default() }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Seen> {
        // Every change below leaves the maps consistent before anything can panic.
        self.seen.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Records `id` until `expires`, or refuses it when it is recorded and not yet expired.
    pub(crate) fn accept(&self, id: &[u8], expires: i64, now: i64) -> Result<(), Error> {
        let mut seen = self.lock();
        seen.forget_expired(now);
        if seen.expiry.contains_key(id) {
            return Err(Error::Replayed { id: String::from_utf8_lossy(id).into_owned() });
        }
        while seen.expiry.len() >= self.capacity {
            seen.forget_soonest();
        }
        seen.expiry.insert(id.into(), expires);
        seen.by_expiry.push(Reverse((expires, id.into())));
        Ok(())
    }

    pub(crate) fn forget(&self, id: &str) {
        self.lock().expiry.remove(id.as_bytes());
    }
}

impl Seen {
    /// Removes the entry that expires soonest, skipping stale heap entries.
    fn forget_soonest(&mut self) {
        while let Some(Reverse((expires, id))) = self.by_expiry.pop() {
            if self.expiry.get(&id) == Some(&expires) {
                self.expiry.remove(&id);
                return;
            }
        }
    }

    fn forget_expired(&mut self, now: i64) {
        while let Some(Reverse((expires, _))) = self.by_expiry.peek() {
            if *expires >= now {
                break;
            }
            let Some(Reverse((expires, id))) = self.by_expiry.pop() else { break };
            if self.expiry.get(&id) == Some(&expires) {
                self.expiry.remove(&id);
            }
        }
        // Forgotten ids leave heap entries behind; rebuild once they outnumber the live ones.
        if self.by_expiry.len() > 2 * self.expiry.len() + 64 {
            self.by_expiry = self.expiry.iter().map(|(id, expires)| Reverse((*expires, id.clone()))).collect();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_accepted_once_until_it_expires() {
        let guard = ReplayGuard::new(10);
        assert_eq!(guard.accept(b"msg_1", 100, 0), Ok(()));
        assert_eq!(guard.accept(b"msg_1", 100, 50), Err(Error::Replayed { id: "msg_1".into() }));
        assert_eq!(guard.accept(b"msg_2", 100, 50), Ok(()));
        // At its expiry it is still refused; after it, the timestamp check refuses it anyway.
        assert!(guard.accept(b"msg_1", 200, 100).is_err());
        assert_eq!(guard.accept(b"msg_1", 200, 101), Ok(()));
    }

    #[test]
    fn forgetting_lets_a_retry_through() {
        let guard = ReplayGuard::new(10);
        guard.accept(b"msg_1", 100, 0).unwrap();
        guard.forget("msg_1");
        assert_eq!(guard.accept(b"msg_1", 100, 1), Ok(()));
        assert!(guard.accept(b"msg_1", 100, 2).is_err());
    }

    #[test]
    fn at_capacity_the_id_closest_to_expiring_goes_first() {
        let guard = ReplayGuard::new(2);
        guard.accept(b"late", 300, 0).unwrap();
        guard.accept(b"soon", 100, 0).unwrap();
        guard.accept(b"new", 200, 0).unwrap();
        assert_eq!(guard.lock().expiry.len(), 2);
        assert_eq!(guard.accept(b"soon", 100, 0), Ok(()));
        assert!(guard.accept(b"late", 300, 0).is_err());
    }

    #[test]
    fn memory_stays_bounded_under_churn() {
        let guard = ReplayGuard::new(100);
        for n in 0..10_000i64 {
            let id = format!("msg_{n}");
            guard.accept(id.as_bytes(), n + 50, n).unwrap();
            if n % 2 == 0 {
                guard.forget(&id);
            }
        }
        let seen = guard.lock();
        assert!(seen.expiry.len() <= 100);
        assert!(seen.by_expiry.len() <= 2 * 100 + 64 + 1, "{}", seen.by_expiry.len());
    }
}
