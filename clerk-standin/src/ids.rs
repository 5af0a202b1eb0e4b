//! Clerk-looking identifiers, trace ids and a millisecond clock that never repeats itself.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Clerk ids are a prefix and 27 base62 characters (`user_2x1...`).
const ID_LENGTH: usize = 27;

/// SplitMix64's finalizer: a bijection on `u64`, so distinct inputs give distinct outputs,
/// which is what makes the generated ids unique without remembering them.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn nanos_since_epoch() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or_default()
}

/// Produces ids that look random but are unique per generator: the counter goes through a
/// bijection, and the seed keeps two stand-ins from handing out the same ids.
#[derive(Debug)]
pub(crate) struct IdGenerator {
    seed: u64,
    counter: u64,
}

impl IdGenerator {
    pub(crate) fn new() -> Self {
        static INSTANCES: AtomicU64 = AtomicU64::new(0);
        let instance = INSTANCES.fetch_add(1, Ordering::Relaxed);
        IdGenerator { seed: mix(nanos_since_epoch() ^ mix(instance ^ u64::from(std::process::id()))), counter: 0 }
    }

    /// `prefix` without the underscore: "user", "org", "sess", "client", "idn", ...
    pub(crate) fn next(&mut self, prefix: &str) -> String {
        self.counter += 1;
        // Odd multiplier: still a bijection of the counter before mixing.
        let unique = mix(self.seed.wrapping_add(self.counter.wrapping_mul(0x9e37_79b9_7f4a_7c15)));
        let mut id = String::with_capacity(prefix.len() + 1 + ID_LENGTH);
        id.push_str(prefix);
        id.push('_');
        // 62^11 > 2^64: the first 11 characters carry the unique value in full.
        let mut rest = unique;
        for _ in 0..11 {
            id.push(BASE62[(rest % 62) as usize] as char);
            rest /= 62;
        }
        let mut filler = unique;
        while id.len() < prefix.len() + 1 + ID_LENGTH {
            filler = mix(filler.wrapping_add(0x9e37_79b9_7f4a_7c15));
            id.push(BASE62[(filler % 62) as usize] as char);
        }
        id
    }
}

/// A fresh 32-hex-digit id for each error body, like Clerk's `clerk_trace_id`.
pub(crate) fn trace_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let high = mix(nanos_since_epoch() ^ mix(n));
    let low = mix(high ^ n.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    format!("{high:016x}{low:016x}")
}

/// Unix milliseconds, strictly increasing across calls, so that every object has its own
/// creation time and ordering by it is deterministic even within one millisecond.
#[derive(Debug, Default)]
pub(crate) struct Clock {
    last: i64,
}

impl Clock {
    pub(crate) fn tick(&mut self) -> i64 {
        self.last = wall_millis().max(self.last + 1);
        self.last
    }

    /// The current time without claiming it for an object: never earlier than the last tick,
    /// so that something created "now" is not yet past a deadline computed from it.
    pub(crate) fn now(&self) -> i64 {
        wall_millis().max(self.last)
    }
}

fn wall_millis() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_clerk_shape_and_do_not_repeat() {
        let mut ids = IdGenerator::new();
        let generated: std::collections::HashSet<String> = (0..10_000).map(|_| ids.next("user")).collect();
        assert_eq!(generated.len(), 10_000);
        for id in &generated {
            let tail = id.strip_prefix("user_").unwrap();
            assert_eq!(tail.len(), ID_LENGTH);
            assert!(tail.bytes().all(|b| b.is_ascii_alphanumeric()), "{id}");
        }
    }

    #[test]
    fn clock_is_strictly_increasing() {
        let mut clock = Clock::default();
        let mut previous = clock.tick();
        for _ in 0..1_000 {
            let next = clock.tick();
            assert!(next > previous);
            previous = next;
        }
    }
}
