//! Views over [`crate::state`]: they read signals and never fetch on their own.

mod dashboard;
mod portfolio_panel;
mod quotes_table;
mod refresh_bar;

pub use dashboard::Dashboard;
pub use portfolio_panel::PortfolioPanel;
pub use quotes_table::QuotesTable;
pub use refresh_bar::RefreshBar;
