//! One view per route; each reads the shared [`crate::state::app::AppState`].

mod lab;
mod portfolio;
mod requests;
pub mod settings;
mod ticker;
mod watchlist;

pub use lab::LabPage;
pub use portfolio::PortfolioPage;
pub use requests::RequestsPage;
pub use settings::SettingsPage;
pub use ticker::TickerPage;
pub use watchlist::WatchlistPage;
