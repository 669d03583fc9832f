//! Views over [`crate::state`]: they read signals and never fetch on their own.

mod auto_refresh;
mod dashboard;
mod event_loop_lab;
mod lab_plot;
mod notices;
mod portfolio_panel;
mod progress_bar;
mod quotes_table;
mod refresh_bar;
mod symbol_adder;

pub use auto_refresh::AutoRefreshControl;
pub use dashboard::Dashboard;
pub use event_loop_lab::EventLoopLab;
pub use lab_plot::LabPlot;
pub use notices::Notices;
pub use portfolio_panel::PortfolioPanel;
pub use progress_bar::ProgressBar;
pub use quotes_table::{QuotesTable, RowActions};
pub use refresh_bar::RefreshBar;
pub use symbol_adder::SymbolAdder;
