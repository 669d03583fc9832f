//! What each request of a refresh asks for: a quote, a call of the batch
//! endpoint, or the portfolio; its path, label and rows; and how it is sent.

use futures::{FutureExt, future::LocalBoxFuture};
use market::{Portfolio, Quote, Symbol};

use crate::{
    api::{ApiClient, Batch, FetchError, PORTFOLIO_PATH, batch_path, quote_path},
    state::batching::{self, batches},
};

/// What one request of a refresh asks for.
#[derive(Debug, Clone)]
pub(super) enum Target {
    Quote(Symbol),
    /// One call of the batch endpoint.
    Quotes(Vec<Symbol>),
    Portfolio,
}

impl Target {
    /// Its path on the Tickerboard API.
    pub(super) fn path(&self) -> String {
        match self {
            Target::Quote(symbol) => quote_path(symbol),
            Target::Quotes(symbols) => batch_path(symbols),
            Target::Portfolio => PORTFOLIO_PATH.to_owned(),
        }
    }

    /// The symbols whose rows this request fills.
    pub(super) fn symbols(&self) -> &[Symbol] {
        match self {
            Target::Quote(symbol) => std::slice::from_ref(symbol),
            Target::Quotes(symbols) => symbols,
            Target::Portfolio => &[],
        }
    }

    /// Its name in the waterfall.
    pub(super) fn label(&self) -> String {
        match self {
            Target::Quote(symbol) => symbol.to_string(),
            Target::Quotes(symbols) => batching::label(symbols),
            Target::Portfolio => "portfolio".to_owned(),
        }
    }
}

/// A refresh's requests for `groups` of symbols: a group of one is a quote,
/// a larger one a call of the batch endpoint; then the portfolio.
pub(super) fn plan(groups: Vec<Vec<Symbol>>) -> Vec<Target> {
    let mut targets: Vec<Target> = groups
        .into_iter()
        .map(|mut batch| if batch.len() == 1 { Target::Quote(batch.remove(0)) } else { Target::Quotes(batch) })
        .collect();
    targets.push(Target::Portfolio);
    targets
}

/// The paths of a first visit's refresh (the default watchlist's), which
/// web/start.js sends before the app has started (src/api/early.rs).
pub fn first_visit_paths() -> Vec<String> {
    plan(batches(crate::state::watchlist::default_watchlist())).iter().map(Target::path).collect()
}

/// One answer of a refresh.
pub(super) enum Answer {
    Quote(Quote),
    Batch(Batch),
    Portfolio(Portfolio),
}

pub(super) type Request = Box<dyn Fn(u32) -> LocalBoxFuture<'static, Result<Answer, FetchError>>>;

/// The engine request for `target`: each attempt sends afresh.
pub(super) fn request(client: &ApiClient, target: &Target) -> Request {
    let (client, target) = (client.clone(), target.clone());
    Box::new(move |_attempt| {
        let (client, target) = (client.clone(), target.clone());
        async move {
            match target {
                Target::Quote(symbol) => client.quote(&symbol).await.map(Answer::Quote),
                Target::Quotes(symbols) => client.quotes(&symbols).await.map(Answer::Batch),
                Target::Portfolio => client.portfolio().await.map(Answer::Portfolio),
            }
        }
        .boxed_local()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_names_each_request_by_its_path() {
        let aapl = Symbol::parse("AAPL").unwrap();
        let brk = Symbol::parse("BRK.B").unwrap();
        let paths: Vec<String> = plan(vec![vec![aapl.clone()], vec![aapl, brk]]).iter().map(Target::path).collect();
        assert_eq!(paths, ["/api/v1/quotes/AAPL", "/api/v1/quotes?symbols=AAPL,BRK.B", "/api/v1/portfolio"]);
    }
}
