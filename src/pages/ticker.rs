//! `/t/:symbol`: the trade-decision view — quote, a year of history and the
//! portfolio loaded together; the chart with its moving averages and a hover
//! crosshair; the 52-week range; the position and what the cash buys; and how
//! long the load took against one request after another.

use fanout::{BrowserTimer, Engine};
use leptos::prelude::*;
use market::{History, Period, Symbol, indicators::range_52_weeks};

use crate::{
    format,
    state::{
        Loadable,
        app::{AppState, client_for},
        chart::{self, Chart},
        detail::{DetailState, position_facts},
    },
};

/// The detail view of the symbol in the URL.
#[component]
pub fn TickerPage() -> impl IntoView {
    let written = crate::route::use_location().ticker_symbol();
    let symbol = Memo::new(move |_| written.with(|symbol| Symbol::parse(symbol)));
    // A symbol the URL cannot hold renders as an error, caught by the boundary.
    view! {
        <ErrorBoundary fallback=|errors| {
            view! {
                <p class="error" role="alert">
                    {move || {
                        errors.get().into_iter().map(|(_, e)| format!("This address names no symbol: {e}")).collect::<Vec<_>>()
                    }}
                    " " <a href="/">"Back to the watchlist"</a>
                </p>
            }
        }>{move || symbol.get().map(|symbol| view! { <TickerDetail symbol /> })}</ErrorBoundary>
    }
}

/// Quote, chart and position of one symbol.
#[component]
fn TickerDetail(symbol: Symbol) -> impl IntoView {
    let app = expect_context::<AppState>();
    let detail = DetailState::default();
    let settings = app.settings;
    let load = {
        let symbol = symbol.clone();
        move || {
            let settings = settings.get_untracked();
            // The dashboard's engine: one budget and one Retry-After pause for the host.
            let client = client_for(&settings);
            let engine = app.dashboard.engine().unwrap_or_else(|| Engine::new(BrowserTimer::new(), settings.policy()));
            let symbol = symbol.clone();
            leptos::task::spawn_local(async move { detail.load(client, engine, symbol).await });
        }
    };
    // Loads now, and again (superseding) whenever the period changes.
    Effect::new(move |_| {
        detail.period.track();
        load();
    });
    on_cleanup(move || detail.cancel());
    let name = symbol.to_string();
    let (for_attr, for_title) = (name.clone(), name.clone());
    view! {
        <article class="ticker" data-testid="ticker" data-symbol=for_attr>
            <div class="ticker-head">
                <h2>{for_title}</h2>
                {move || match detail.quote.get() {
                    Loadable::Ready(q) => {
                        let class = if q.change >= 0.0 { "up" } else { "down" };
                        view! {
                            <span class="big" data-testid="detail-price">{format::money(q.price)}</span>
                            <span class=class>
                                {format!("{} ({})", format::signed(q.change), format::signed_percent(q.change_percent))}
                            </span>
                        }
                            .into_any()
                    }
                    // As tall as the price it stands for, so nothing moves when it lands.
                    Loadable::Loading => view! { <span class="big skeleton"></span> }.into_any(),
                    Loadable::Failed(err) => view! { <span class="error" role="alert">{err.to_string()}</span> }.into_any(),
                }}
            </div>
            <div class="periods" role="group" aria-label="Period">
                {Period::ALL
                    .into_iter()
                    .map(|p| {
                        view! {
                            <button
                                class="small"
                                data-testid=format!("period-{p}")
                                aria-pressed=move || (detail.period.get() == p).to_string()
                                on:click=move |_| detail.period.set(p)
                            >
                                {p.as_str()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="legend">
                <span class="price">"— Close"</span>
                <span class="sma50">"— 50-day average"</span>
                <span class="sma200">"— 200-day average"</span>
            </div>
            // The chart's box keeps its final size (CSS aspect-ratio) while the
            // history loads or when it fails, so the facts below never move.
            {move || match detail.history.get() {
                Loadable::Ready(history) => chart_view(&history, detail.period.get_untracked()).into_any(),
                Loadable::Loading => chart_placeholder(view! { <p class="muted">"Loading the price history…"</p> }).into_any(),
                Loadable::Failed(err) => {
                    chart_placeholder(view! { <p class="error" role="alert">{err.to_string()}</p> }).into_any()
                }
            }}
            <dl class="facts">{move || facts(&detail, &name)}</dl>
            <p class="timing" data-testid="detail-timing">
                {move || match detail.timing.get() {
                    Some((wall, sum)) => view! {
                        "Loaded in " <strong data-testid="detail-wall">{format::seconds(wall)}</strong>
                        " s — one after another it would take " <strong data-testid="detail-sum">{format::seconds(sum)}</strong> " s"
                    }
                        .into_any(),
                    None => view! { <span class="muted">"Loading quote, history and portfolio at once…"</span> }.into_any(),
                }}
            </p>
        </article>
    }
}

/// The 52-week range, the position and what the cash buys.
fn facts(detail: &DetailState, symbol: &str) -> impl IntoView + use<> {
    let fact = |label: &'static str, testid: &'static str, value: String| {
        view! {
            <div class="fact">
                <dt>{label}</dt>
                <dd data-testid=testid>{value}</dd>
            </div>
        }
    };
    let range = detail.history.with(|h| match h {
        Loadable::Ready(h) => range_52_weeks(&h.bars),
        _ => None,
    });
    let price = detail.quote.with(|q| match q {
        Loadable::Ready(q) => Some(q.price),
        _ => None,
    });
    let position = detail.portfolio.with(|p| match (p, price) {
        (Loadable::Ready(p), Some(price)) => position_facts(p, symbol, price),
        _ => None,
    });
    let dash = || "—".to_owned();
    view! {
        {fact("52-week range", "range-52w", range.map_or_else(dash, |(lo, hi)| format!("{} – {}", format::money(lo), format::money(hi))))}
        {fact("Shares held", "shares-held", position.map_or_else(dash, |f| format::quantity(f.quantity)))}
        {fact("Cost", "position-cost", position.map_or_else(dash, |f| format::money(f.cost)))}
        {fact("Value", "position-value", position.map_or_else(dash, |f| format::money(f.value)))}
        {fact(
            "Profit / loss",
            "position-pl",
            position.map_or_else(dash, |f| match f.profit_percent {
                Some(pct) => format!("{} ({})", format::signed_money(f.profit), format::signed_percent(pct)),
                None => format::signed_money(f.profit),
            }),
        )}
        {fact("Cash buys", "cash-buys", position.map_or_else(dash, |f| format!("{} shares", f.cash_buys)))}
    }
}

/// A box of the chart's size holding a message in place of the chart.
fn chart_placeholder(message: impl IntoView) -> impl IntoView {
    view! { <div class="chart chart-placeholder">{message}</div> }
}

/// The SVG chart with a crosshair that follows the pointer (or the arrow keys).
fn chart_view(history: &History, period: Period) -> impl IntoView + use<> {
    let Some(chart) = Chart::new(&history.bars, period) else {
        return chart_placeholder(view! { <p class="muted">"No price history for this period."</p> }).into_any();
    };
    let hover = RwSignal::new(None::<usize>);
    let last = chart.bars.len().saturating_sub(1);
    let chart = StoredValue::new(chart);
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let Some(svg) = ev.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let rect = svg.get_bounding_client_rect();
        if rect.width() > 0.0 {
            let x = (f64::from(ev.client_x()) - rect.left()) / rect.width() * chart::WIDTH;
            hover.set(chart.with_value(|c| Some(c.index_at(x))));
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowLeft" => -1,
            "ArrowRight" => 1,
            _ => return,
        };
        ev.prevent_default();
        let at = hover.get_untracked().unwrap_or(last);
        hover.set(Some(at.saturating_add_signed(step).min(last)));
    };
    let crosshair = move || {
        hover.get().map(|i| {
            chart.with_value(|c| {
                let bar = &c.bars[i];
                let (x, y) = (c.x(i), c.y(bar.close));
                let (sma50, sma200) = c.averages_at(i);
                let label = format!(
                    "{}  {}{}{}",
                    bar.date,
                    format::money(bar.close),
                    sma50.map(|v| format!("  MA50 {}", format::money(v))).unwrap_or_default(),
                    sma200.map(|v| format!("  MA200 {}", format::money(v))).unwrap_or_default()
                );
                let text_x = if x > chart::WIDTH / 2.0 { x - 8.0 } else { x + 8.0 };
                let anchor = if x > chart::WIDTH / 2.0 { "end" } else { "start" };
                view! {
                    <line class="crosshair" x1=x x2=x y1="0" y2=chart::HEIGHT />
                    <circle cx=x cy=y r="3.5" fill="currentColor" />
                    <text x=text_x y="16" text-anchor=anchor data-testid="crosshair-label">{label}</text>
                }
            })
        })
    };
    let (price, sma50, sma200, grid, first, final_date) = chart.with_value(|c| {
        let grid = c.grid().into_iter().map(|level| (c.y(level), format::money(level))).collect::<Vec<_>>();
        (
            c.price_path(),
            c.sma50_path(),
            c.sma200_path(),
            grid,
            c.bars.first().map(|b| b.date.clone()).unwrap_or_default(),
            c.bars.last().map(|b| b.date.clone()).unwrap_or_default(),
        )
    });
    let described = format!("Price chart from {first} to {final_date}; use the arrow keys to read prices");
    view! {
        <svg
            class="chart"
            data-testid="chart"
            viewBox=format!("0 0 {} {}", chart::WIDTH, chart::HEIGHT)
            role="img"
            aria-label=described
            tabindex="0"
            on:pointermove=on_move
            on:pointerleave=move |_| hover.set(None)
            on:keydown=on_key
            on:blur=move |_| hover.set(None)
        >
            {grid
                .into_iter()
                .map(|(y, label)| {
                    view! {
                        <line class="grid" x1="0" x2=chart::WIDTH - 60.0 y1=y y2=y />
                        <text x=chart::WIDTH - 56.0 y=y + 4.0>{label}</text>
                    }
                })
                .collect_view()}
            <text x="0" y=chart::HEIGHT - 6.0>{first}</text>
            <text x=chart::WIDTH - 60.0 y=chart::HEIGHT - 6.0 text-anchor="end">{final_date}</text>
            <path class="sma200" d=sma200 data-testid="sma200" />
            <path class="sma50" d=sma50 data-testid="sma50" />
            <path class="price-line" d=price data-testid="price-line" />
            {crosshair}
        </svg>
    }
    .into_any()
}
