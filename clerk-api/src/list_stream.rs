//! Every item of a list, page after page: what `.stream()` answers on the request builder of each
//! list operation that takes `limit` and `offset` (`cargo xtask generate` writes those methods;
//! see `xtask/src/streams.rs`).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use progenitor_client::ResponseValue;

use crate::{Error, Page};

/// One page on its way: its items and Clerk's `total_count`, when the answer has one.
type PageFuture<'a, T, Err> = Pin<Box<dyn Future<Output = Result<(Vec<T>, Option<i64>), Err>> + Send + 'a>>;

/// Every item of a list operation, fetched one page at a time.
///
/// `.stream()` on the request builder of a list operation (`client.get_user_list()`, with any
/// of its filters) asks for pages of the builder's `limit`, or of the largest page the
/// operation's document allows when it has none, starting at its `offset` (else the first
/// item). It stops after a page shorter than that limit, or once it has reached the
/// `total_count` Clerk reports (the lists that take `paginated` are asked for it, so that they
/// report one). Only one page is held at a time, so listing a hundred thousand users takes the
/// memory of one page.
///
/// The items are `Result`s: an error (a failed request, an answer that does not decode, a
/// parameter that cannot be sent) is the last item, and the items before it are the ones read
/// until then. A page decodes whole or not at all, so an item that does not decode fails its
/// page rather than go missing. The error type `Err` is the operation's [`Error`]; a stream made
/// with [`ListStream::from_pages`] has the error of whatever fetches its pages.
///
/// It is a [`futures_core::Stream`]; `futures_util::StreamExt` (or `futures::StreamExt`) adds
/// `next`, `try_collect` and the other adapters.
///
/// ```no_run
/// # #[cfg(feature = "users")]
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// use futures_util::StreamExt;
///
/// let client = clerk_api::Client::from_secret_key("sk_test_...")?;
/// let mut users = client.get_user_list().order_by("+created_at").stream();
/// while let Some(user) = users.next().await {
///     let user = user?;
///     println!("{}", user.id.unwrap_or_default());
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing until it is polled"]
pub struct ListStream<'a, T, Err> {
    /// Starts the request for the page at an offset.
    fetch: Box<dyn FnMut(i64) -> PageFuture<'a, T, Err> + Send + 'a>,
    /// The size of every page asked for: a shorter one is the last.
    limit: i64,
    /// The offset of the next page to ask for.
    offset: i64,
    /// The items of the page being handed out.
    items: std::vec::IntoIter<T>,
    /// The request under way, if any.
    pending: Option<PageFuture<'a, T, Err>>,
    /// Set once no page is left to ask for; `failure` is then handed out before the end.
    done: bool,
    /// The error that ends the stream, handed out after the items read before it.
    failure: Option<Err>,
}

impl<'a, T: Send + 'a, E: Send + 'a> ListStream<'a, T, Error<E>> {
    /// The stream of a request builder: its `limit` and `offset` as the builder holds them,
    /// the page size to use when `limit` is unset, how an answer splits into its items and
    /// `total_count`, and `fetch`, which sends the builder's request with a limit and an
    /// offset.
    // With no API group on, no operation lists.
    #[allow(dead_code)]
    pub(crate) fn new<A, Fut>(
        limit: Result<Option<i64>, String>,
        offset: Result<Option<i64>, String>,
        page_limit: i64,
        parts: fn(A) -> (Vec<T>, Option<i64>),
        mut fetch: impl FnMut(i64, i64) -> Fut + Send + 'a,
    ) -> Self
    where
        A: 'a,
        Fut: Future<Output = Result<ResponseValue<A>, Error<E>>> + Send + 'a,
    {
        let (limit, offset, failure) = match (limit, offset) {
            (Ok(limit), Ok(offset)) => (limit.unwrap_or(page_limit), offset.unwrap_or(0), None),
            (Err(message), _) | (_, Err(message)) => (page_limit, 0, Some(Error::InvalidRequest(message))),
        };
        let mut stream = ListStream::from_pages(limit, offset, move |limit, offset| {
            let page = fetch(limit, offset);
            async move {
                let (data, total_count) = parts(page.await?.into_inner());
                Ok(Page { data, total_count })
            }
        });
        stream.done = failure.is_some();
        stream.failure = failure;
        stream
    }
}

impl<'a, T: Send + 'a, Err: Send + 'a> ListStream<'a, T, Err> {
    /// A stream of the pages that `fetch(limit, offset)` answers: pages of `limit` items from
    /// `offset`, ending as the streams of the request builders end (after a short page, at the
    /// page's `total_count`, or with an error as the last item). For code that sends each page
    /// its own way (through its own retries or rate limits) and keeps the same paging:
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() {
    /// use clerk_api::{ListStream, Page};
    /// use futures_util::StreamExt;
    ///
    /// // Seven items, in pages of three: asked for at offsets 0, 3 and 6.
    /// let numbers = ListStream::from_pages(3, 0, |limit, offset| async move {
    ///     let data: Vec<i64> = (offset..(offset + limit).min(7)).collect();
    ///     Ok::<_, std::io::Error>(Page { data, total_count: None })
    /// });
    /// let read: Vec<i64> = numbers.map(|number| number.unwrap()).collect().await;
    /// assert_eq!(read, [0, 1, 2, 3, 4, 5, 6]);
    /// # }
    /// ```
    pub fn from_pages<Fut>(limit: i64, offset: i64, mut fetch: impl FnMut(i64, i64) -> Fut + Send + 'a) -> Self
    where
        Fut: Future<Output = Result<Page<T>, Err>> + Send + 'a,
    {
        let fetch = move |offset: i64| -> PageFuture<'a, T, Err> {
            let page = fetch(limit, offset);
            Box::pin(async move { page.await.map(|page| (page.data, page.total_count)) })
        };
        ListStream {
            fetch: Box::new(fetch),
            limit,
            offset,
            items: Vec::new().into_iter(),
            pending: None,
            done: false,
            failure: None,
        }
    }
}

// Nothing of a `ListStream` is ever pinned in place: the request in flight is boxed, and the
// items and the error are moved out as they are, so it may move between polls whatever `T` and
// `Err` are.
impl<T, Err> Unpin for ListStream<'_, T, Err> {}

impl<T, Err> Stream for ListStream<'_, T, Err> {
    type Item = Result<T, Err>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.done {
                return Poll::Ready(this.failure.take().map(Err));
            }
            let offset = this.offset;
            let fetch = &mut this.fetch;
            let page = this.pending.get_or_insert_with(|| fetch(offset));
            let answer = match page.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(answer) => answer,
            };
            this.pending = None;
            match answer {
                Ok((items, total_count)) => {
                    let count = items.len() as i64;
                    this.offset += count;
                    this.done =
                        count == 0 || count < this.limit || total_count.is_some_and(|total| this.offset >= total);
                    this.items = items.into_iter();
                }
                Err(err) => {
                    this.done = true;
                    this.failure = Some(err);
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let buffered = self.items.len() + usize::from(self.failure.is_some());
        (buffered, if self.done { Some(buffered) } else { None })
    }
}

impl<T, Err> fmt::Debug for ListStream<'_, T, Err> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ListStream")
            .field("limit", &self.limit)
            .field("offset", &self.offset)
            .field("buffered", &self.items.len())
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
