//! One view per route; each reads the shared [`crate::state::app::AppState`].

mod ticker;
mod watchlist;

pub use ticker::TickerPage;
pub use watchlist::WatchlistPage;
