//! The instance's signing keys, fetched from the Backend API's `GET /jwks` and cached.
//!
//! A token whose `kid` is not in the cache makes the cache fetch the JWKS again, but at most
//! once per [`RefreshPolicy::min_interval`]: tokens with made-up `kid`s, however many, cost
//! the Backend API one request per interval. While a fetch is in flight, every verification
//! that needs it waits for that one fetch instead of starting its own.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant};

use crate::error::VerifyError;
use crate::keys::RsaPublicKey;

/// When the cache fetches the JWKS again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefreshPolicy {
    /// The shortest time between two fetches caused by unknown `kid`s (60 s by default).
    /// Clerk's `kid` is the instance's id, so a token with an unknown one is forged or from
    /// another instance, except right after the instance's key changed.
    pub min_interval: Duration,
    /// After a failed fetch, how long until the next may be tried (5 s by default).
    pub retry_after_failure: Duration,
    /// How long fetched keys are trusted before the next verification that uses them fetches
    /// the JWKS again, so that a key the instance dropped stops being accepted (1 hour by
    /// default). Meanwhile other verifications go on with the keys at hand, and if the fetch
    /// fails the keys at hand stay in use.
    pub max_age: Duration,
}

impl Default for RefreshPolicy {
    fn default() -> Self {
        RefreshPolicy {
            min_interval: Duration::from_secs(60),
            retry_after_failure: Duration::from_secs(5),
            max_age: Duration::from_secs(60 * 60),
        }
    }
}

impl RefreshPolicy {
    /// Sets [`RefreshPolicy::min_interval`].
    pub fn min_interval(mut self, interval: Duration) -> Self {
        self.min_interval = interval;
        self
    }

    /// Sets [`RefreshPolicy::retry_after_failure`].
    pub fn retry_after_failure(mut self, interval: Duration) -> Self {
        self.retry_after_failure = interval;
        self
    }

    /// Sets [`RefreshPolicy::max_age`].
    pub fn max_age(mut self, age: Duration) -> Self {
        self.max_age = age;
        self
    }
}

/// The instance's JWKS, cached. Cloning it shares the cache.
#[derive(Clone)]
pub struct Jwks {
    inner: Arc<Inner>,
}

struct Inner {
    client: clerk_api::Client,
    policy: RefreshPolicy,
    cache: RwLock<Cache>,
    /// Held for the length of a fetch, so that there is never more than one.
    fetching: tokio::sync::Mutex<()>,
    fetches: AtomicU64,
}

#[derive(Default)]
struct Cache {
    keys: HashMap<String, Arc<RsaPublicKey>>,
    /// When the keys at hand were fetched.
    fetched_at: Option<Instant>,
    /// When the latest fetch started, and how it ended (`None` while in flight or cut short).
    attempt: Option<(Instant, Option<Result<(), VerifyError>>)>,
}

impl std::fmt::Debug for Jwks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Jwks").field("policy", &self.inner.policy).field("fetches", &self.fetches()).finish()
    }
}

impl Jwks {
    /// A cache that fetches with `client` (its secret key and base URL), with the default
    /// [`RefreshPolicy`].
    pub fn new(client: clerk_api::Client) -> Self {
        Self::with_policy(client, RefreshPolicy::default())
    }

    /// A cache that fetches with `client` as `policy` allows.
    pub fn with_policy(client: clerk_api::Client, policy: RefreshPolicy) -> Self {
        Jwks {
            inner: Arc::new(Inner {
                client,
                policy,
                cache: RwLock::default(),
                fetching: tokio::sync::Mutex::new(()),
                fetches: AtomicU64::new(0),
            }),
        }
    }

    /// How many times the JWKS was fetched (or a fetch was started) so far.
    pub fn fetches(&self) -> u64 {
        self.inner.fetches.load(Ordering::Relaxed)
    }

    /// The key with this `kid`, fetching the JWKS when the policy allows and the cache does not
    /// have it (or has it from too long ago).
    pub(crate) async fn key(&self, kid: Option<&str>) -> Result<Arc<RsaPublicKey>, VerifyError> {
        let unknown = || VerifyError::UnknownKey { kid: kid.map(str::to_owned) };
        let Some(kid) = kid else { return Err(unknown()) };
        let asked_at = Instant::now();
        let (cached, fresh) = {
            let cache = self.cache();
            let fresh = cache.fetched_at.is_some_and(|at| asked_at.duration_since(at) < self.inner.policy.max_age);
            (cache.keys.get(kid).cloned(), fresh)
        };
        if let Some(key) = cached {
            if fresh {
                return Ok(key);
            }
            // Old keys: one verification fetches, the others go on with what is at hand.
            let Ok(_fetching) = self.inner.fetching.try_lock() else { return Ok(key) };
            if !self.may_fetch(Instant::now()) {
                return Ok(key);
            }
            return match self.fetch().await {
                Ok(()) => self.cache().keys.get(kid).cloned().ok_or_else(unknown),
                // The instance could not say; the key was valid at the last look.
                Err(_) => Ok(key),
            };
        }
        // Unknown kid. Under a flood of them this is the common path: refuse at once unless a
        // fetch is in flight (which may bring the key) or the policy allows one now.
        let in_flight = matches!(self.cache().attempt, Some((_, None)));
        if !in_flight && !self.may_fetch(asked_at) {
            return Err(self.refusal(unknown()));
        }
        let _fetching = self.inner.fetching.lock().await;
        if let Some(key) = self.cache().keys.get(kid).cloned() {
            return Ok(key);
        }
        // A fetch that started while this one waited has answered for it.
        if self.cache().attempt.as_ref().is_some_and(|(started, _)| *started >= asked_at)
            || !self.may_fetch(Instant::now())
        {
            return Err(self.refusal(unknown()));
        }
        self.fetch().await?;
        self.cache().keys.get(kid).cloned().ok_or_else(unknown)
    }

    fn cache(&self) -> std::sync::RwLockReadGuard<'_, Cache> {
        // The cache is replaced whole under the lock, so a poisoned one is still consistent.
        self.inner.cache.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn cache_mut(&self) -> std::sync::RwLockWriteGuard<'_, Cache> {
        self.inner.cache.write().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the policy allows a fetch at `now`.
    fn may_fetch(&self, now: Instant) -> bool {
        let policy = &self.inner.policy;
        match &self.cache().attempt {
            None => true,
            Some((started, Some(Err(_)))) => now.duration_since(*started) >= policy.retry_after_failure,
            Some((started, _)) => now.duration_since(*started) >= policy.min_interval,
        }
    }

    /// What to answer for an unknown `kid` when no fetch is allowed: the failure of the last
    /// fetch if it failed (the key may exist), else `unknown`.
    fn refusal(&self, unknown: VerifyError) -> VerifyError {
        match &self.cache().attempt {
            Some((_, Some(Err(error)))) => error.clone(),
            _ => unknown,
        }
    }

    /// Fetches the JWKS and replaces the cached keys with its RS256 signing keys. Only called
    /// with `fetching` held.
    async fn fetch(&self) -> Result<(), VerifyError> {
        let started = Instant::now();
        // Recorded before the request, so that a verification cancelled mid-fetch still counts
        // against the policy.
        self.cache_mut().attempt = Some((started, None));
        self.inner.fetches.fetch_add(1, Ordering::Relaxed);
        let outcome = match self.inner.client.get_jwks().send().await {
            Ok(response) => {
                let keys = signing_keys(response.into_inner());
                if keys.is_empty() { Err(VerifyError::KeysUnavailable(Arc::new(NoSigningKey))) } else { Ok(keys) }
            }
            Err(error) => Err(VerifyError::KeysUnavailable(Arc::new(error))),
        };
        let mut cache = self.cache_mut();
        match outcome {
            Ok(keys) => {
                cache.keys = keys;
                cache.fetched_at = Some(started);
                cache.attempt = Some((started, Some(Ok(()))));
                Ok(())
            }
            Err(error) => {
                cache.attempt = Some((started, Some(Err(error.clone()))));
                Err(error)
            }
        }
    }
}

/// The keys of a JWKS that can verify RS256, by `kid`. Keys for encryption, of other types or
/// algorithms, without a `kid`, or that are no usable RSA key are left out.
fn signing_keys(jwks: clerk_api::types::Jwks) -> HashMap<String, Arc<RsaPublicKey>> {
    jwks.keys
        .unwrap_or_default()
        .into_iter()
        .filter(|key| {
            key.kty.as_deref() == Some("RSA")
                && key.use_.as_deref().is_none_or(|use_| use_ == "sig")
                && key.alg.as_deref().is_none_or(|alg| alg == "RS256")
        })
        .filter_map(|key| {
            let public = RsaPublicKey::from_components(key.n.as_deref()?, key.e.as_deref()?).ok()?;
            Some((key.kid?, Arc::new(public)))
        })
        .collect()
}

/// The JWKS answered holds no key that can verify RS256.
#[derive(Debug)]
struct NoSigningKey;

impl std::fmt::Display for NoSigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the instance's JWKS holds no RS256 signing key")
    }
}

impl std::error::Error for NoSigningKey {}
