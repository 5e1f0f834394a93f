//! Lists a desk reads whole: where the page needs every item (a `<select>` offering all the
//! programs or forum sessions, proposals and opinions filtered by their state, counts), it
//! reads the service's pages one after another instead of stopping at the first. Lists a
//! person reads through (consultations, sessions, comments, signatures…) are paged with the
//! services' page tokens and a "next page" link instead.

use std::future::Future;

use tachawor_proto::common::PageRequest;

/// Items asked for in one call: the services' largest page.
pub const PAGE_SIZE: i32 = 200;

/// Calls at the most for one list (10,000 items): a page stays bounded in time whatever the
/// list's length; a list longer than that is cut there, and the cut is logged.
pub const MAX_CALLS: usize = 50;

/// Every item of a paged list: `call` answers one page (its items and the next page's token,
/// empty on the last page) for the page request it is given.
pub async fn read_whole<T, F, Fut>(what: &str, mut call: F) -> Result<Vec<T>, tonic::Status>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, String), tonic::Status>>,
{
    let mut all = Vec::new();
    let mut token = String::new();
    for _ in 0..MAX_CALLS {
        let (items, next) = call(PageRequest {
            page_size: PAGE_SIZE,
            page_token: token,
        })
        .await?;
        all.extend(items);
        if next.is_empty() {
            return Ok(all);
        }
        token = next;
    }
    tracing::warn!(list = what, read = all.len(), "a list read whole was cut");
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service's list of `n` numbers, paged by offset tokens as the services page them.
    async fn page_of(n: usize, page: PageRequest) -> Result<(Vec<usize>, String), tonic::Status> {
        let size = usize::try_from(page.page_size).unwrap();
        let from: usize = if page.page_token.is_empty() {
            0
        } else {
            page.page_token.parse().unwrap()
        };
        let to = (from + size).min(n);
        let next = if to < n {
            to.to_string()
        } else {
            String::new()
        };
        Ok(((from..to).collect(), next))
    }

    #[tokio::test]
    async fn every_page_is_read_in_order() {
        let mut calls = 0;
        let all = read_whole("numbers", |page| {
            calls += 1;
            page_of(450, page)
        })
        .await
        .unwrap();
        assert_eq!(calls, 3);
        assert_eq!(all, (0..450).collect::<Vec<_>>());
        let one = read_whole("numbers", |page| page_of(3, page))
            .await
            .unwrap();
        assert_eq!(one, vec![0, 1, 2]);
        let none = read_whole("numbers", |page| page_of(0, page))
            .await
            .unwrap();
        assert!(none.is_empty());
    }

    #[tokio::test]
    async fn a_list_past_the_bound_is_cut_there() {
        let mut calls = 0;
        let all = read_whole("numbers", |page| {
            calls += 1;
            page_of(PAGE_SIZE as usize * MAX_CALLS + 5, page)
        })
        .await
        .unwrap();
        assert_eq!(calls, MAX_CALLS);
        assert_eq!(all.len(), PAGE_SIZE as usize * MAX_CALLS);
    }

    #[tokio::test]
    async fn a_refused_page_is_the_answer() {
        let refused = read_whole::<usize, _, _>("numbers", |page| async move {
            if page.page_token.is_empty() {
                Ok((vec![1], "200".to_string()))
            } else {
                Err(tonic::Status::unavailable("down"))
            }
        })
        .await
        .unwrap_err();
        assert_eq!(refused.code(), tonic::Code::Unavailable);
    }
}
