//! The lab's plot: wall time against N on log–log axes, one series of points
//! per strategy and protocol, each beside its ideal line (dashed): N·L,
//! ceil(N/k)·L, ceil(N/6)·L over HTTP/1.1, L over HTTP/2 or batched.

use std::{collections::BTreeMap, time::Duration};

use leptos::prelude::*;

use crate::lab::plan::{Case, MAX_N, Measurement, Protocol, Strategy, Workload};

const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 360.0;
const LEFT: f64 = 64.0;
const BOTTOM: f64 = 36.0;
const TOP: f64 = 12.0;
const RIGHT: f64 = 190.0;

/// One strategy over one protocol at one latency.
#[derive(Debug, Clone, PartialEq)]
struct Series {
    strategy: Strategy,
    protocol: Protocol,
    latency: Duration,
    /// (N, median wall in ms), by N.
    points: Vec<(usize, f64)>,
}

/// Groups quote measurements into series (the broker has no N; it is left
/// to the table). Repeated runs of one N plot their median.
fn series(results: &[Measurement]) -> Vec<Series> {
    /// A series' key: strategy, protocol, L in ms.
    type Key = (String, String, u128);
    /// A series being gathered: its walls in ms by N.
    type Gathering = (Series, BTreeMap<usize, Vec<f64>>);
    let mut groups: BTreeMap<Key, Gathering> = BTreeMap::new();
    for m in results {
        let Workload::Quotes { n, latency } = m.case.workload else { continue };
        let protocol = m.protocol.unwrap_or(Protocol::Http1);
        let key = (m.case.strategy.to_string(), protocol.to_string(), latency.as_millis());
        let (_, by_n) = groups.entry(key).or_insert_with(|| {
            (Series { strategy: m.case.strategy, protocol, latency, points: Vec::new() }, BTreeMap::new())
        });
        by_n.entry(n).or_default().push(m.wall.as_secs_f64() * 1e3);
    }
    groups
        .into_values()
        .map(|(series, by_n)| Series {
            points: by_n.into_iter().map(|(n, walls)| (n, median(walls))).collect(),
            ..series
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The CSS class of a strategy's colour.
fn class_of(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Sequential => "s-sequential",
        Strategy::JoinAll => "s-join-all",
        Strategy::Bounded(_) => "s-bounded",
        Strategy::Batched => "s-batched",
        Strategy::Refresh => "s-refresh",
    }
}

/// The plot of `results`.
#[component]
pub fn LabPlot(
    /// Every measurement so far.
    results: RwSignal<Vec<Measurement>>,
) -> impl IntoView {
    move || {
        let all = series(&results.get());
        if all.is_empty() {
            return view! { <p class="muted">"Run a case with N quotes to plot it."</p> }.into_any();
        }
        plot(&all).into_any()
    }
}

fn plot(all: &[Series]) -> impl IntoView + use<> {
    let max_n = all.iter().flat_map(|s| s.points.iter().map(|p| p.0)).max().unwrap_or(1).clamp(2, MAX_N);
    let ideal = |s: &Series, n: usize| {
        let case = Case { workload: Workload::Quotes { n, latency: s.latency }, strategy: s.strategy };
        case.ideal(s.protocol).as_secs_f64() * 1e3
    };
    let walls = all.iter().flat_map(|s| s.points.iter().map(|p| p.1));
    let ideals = all.iter().flat_map(|s| [ideal(s, 1), ideal(s, max_n)]);
    let values: Vec<f64> = walls.chain(ideals).filter(|v| *v > 0.0).collect();
    let low = values.iter().copied().fold(f64::INFINITY, f64::min).max(1.0) / 1.5;
    let high = values.iter().copied().fold(0.0, f64::max).max(low * 10.0) * 1.5;
    let x = move |n: usize| LEFT + (n as f64).log10() / (max_n as f64).log10() * (WIDTH - LEFT - RIGHT);
    let y = move |ms: f64| {
        TOP + (high.log10() - ms.max(low).log10()) / (high.log10() - low.log10()) * (HEIGHT - TOP - BOTTOM)
    };

    let lines = all
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let ideal_path: String = (1..=max_n).map(|n| format!("{:.1},{:.1} ", x(n), y(ideal(s, n)))).collect();
            let measured_path: String = s.points.iter().map(|&(n, ms)| format!("{:.1},{:.1} ", x(n), y(ms))).collect();
            let name = format!("{} · {} · L = {} ms", s.strategy, s.protocol, s.latency.as_millis());
            let dots = s
                .points
                .iter()
                .map(|&(n, ms)| {
                    let tip = format!("{name}: N = {n}, {ms:.0} ms (ideal {:.0} ms)", ideal(s, n));
                    view! { <circle cx=x(n) cy=y(ms) r="4" data-testid="plot-point"><title>{tip}</title></circle> }
                })
                .collect_view();
            let legend_y = TOP + 14.0 + 16.0 * i as f64;
            view! {
                <g class=format!("series {}", class_of(s.strategy)) data-testid="plot-series" data-name=name.clone()>
                    <polyline class="ideal" points=ideal_path />
                    <polyline class="measured" points=measured_path />
                    {dots}
                    <text class="legend" x=WIDTH - RIGHT + 10.0 y=legend_y>{format!("{} · {}", s.strategy, s.protocol)}</text>
                </g>
            }
        })
        .collect_view();
    let mut ticks: Vec<usize> = [1usize, 10, 100, 1000].into_iter().filter(|&n| n <= max_n).collect();
    if !ticks.contains(&max_n) {
        ticks.push(max_n);
    }
    let x_ticks = ticks
        .into_iter()
        .map(|n| view! { <text x=x(n) y=HEIGHT - 14.0 text-anchor="middle">{n}</text> })
        .collect_view();
    let y_ticks = [1.0, 10.0, 100.0, 1_000.0, 10_000.0, 100_000.0]
        .into_iter()
        .filter(|&ms| ms >= low && ms <= high)
        .map(|ms| {
            let label = if ms >= 1000.0 { format!("{} s", ms / 1000.0) } else { format!("{ms} ms") };
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y(ms) y2=y(ms) />
                <text x=LEFT - 6.0 y=y(ms) + 4.0 text-anchor="end">{label}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="lab-plot" data-testid="lab-plot" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
            aria-label="Wall time against the number of requests, measured and ideal">
            <line class="axis" x1=LEFT x2=LEFT y1=TOP y2=HEIGHT - BOTTOM />
            <line class="axis" x1=LEFT x2=WIDTH - RIGHT y1=HEIGHT - BOTTOM y2=HEIGHT - BOTTOM />
            {y_ticks}
            {x_ticks}
            <text x=(LEFT + WIDTH - RIGHT) / 2.0 y=HEIGHT - 2.0 text-anchor="middle">"N (requests, log scale)"</text>
            {lines}
            <text class="legend muted" x=WIDTH - RIGHT + 10.0 y=HEIGHT - BOTTOM>"dashed: ideal"</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(strategy: Strategy, n: usize, wall_ms: u64) -> Measurement {
        Measurement {
            case: Case { workload: Workload::Quotes { n, latency: Duration::from_millis(200) }, strategy },
            protocol: Some(Protocol::Http2),
            wall: Duration::from_millis(wall_ms),
            errors: 0,
            requests: n,
        }
    }

    #[test]
    fn series_group_by_strategy_and_plot_the_median_of_repeats() {
        let results = [
            m(Strategy::JoinAll, 100, 300),
            m(Strategy::JoinAll, 100, 250),
            m(Strategy::JoinAll, 100, 900),
            m(Strategy::JoinAll, 5, 210),
            m(Strategy::Batched, 100, 220),
        ];
        let all = series(&results);
        assert_eq!(all.len(), 2);
        let join_all = all.iter().find(|s| s.strategy == Strategy::JoinAll).unwrap();
        assert_eq!(join_all.points, [(5, 210.0), (100, 300.0)]);
    }
}
