//! `report.json`: the [`Report`] through serde derive, and on writing, for
//! its readers, the figures computed from it — each row's median and ratio to
//! its ideal, the goals, the bundle's gzip total — which reading ignores.

use anyhow::Result;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::report::{Report, Row};

impl Report {
    /// The report as [`Report::to_json`] wrote it.
    pub fn from_json(text: &str) -> Result<Report> {
        Ok(serde_json::from_str(text)?)
    }

    /// `report.json`: the report, each row's median and ratio to its ideal,
    /// the goals and the bundle's gzip total.
    pub fn to_json(&self) -> Result<String> {
        let goals = self
            .goals()
            .into_iter()
            .map(|(goal, measured, target, met)| GoalJson { goal, measured, target, met })
            .collect();
        let json = ReportJson { first_load_gzip_bytes: self.size.gzip_bytes(), goals, report: self };
        Ok(serde_json::to_string_pretty(&json)?)
    }
}

/// `report.json` as written: the report and, for its readers, the figures
/// computed from it (ignored on reading).
#[derive(Serialize)]
struct ReportJson<'a> {
    /// The bundle's first-load files' gzip bytes.
    first_load_gzip_bytes: u64,
    goals: Vec<GoalJson>,
    #[serde(flatten)]
    report: &'a Report,
}

/// One goal of [`Report::goals`] in `report.json`.
#[derive(Serialize)]
struct GoalJson {
    goal: String,
    measured: String,
    target: String,
    met: Option<bool>,
}

/// A row in `report.json`: the measurement and, for its readers, its median
/// and ratio to the ideal (ignored on reading).
#[derive(Serialize)]
struct RowJson<'a> {
    #[serde(flatten)]
    row: &'a Row,
    median_ms: f64,
    over_ideal: Option<f64>,
}

/// [`Report::rows`] as `report.json` holds them: each a [`RowJson`].
pub fn rows_with_figures<S: Serializer>(rows: &[Row], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(rows.iter().map(|row| RowJson {
        row,
        median_ms: row.median(),
        over_ideal: row.over_ideal(),
    }))
}

/// Wall times read back without the `null`s a NaN is written as.
pub fn numbers<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<f64>, D::Error> {
    Ok(Vec::<Option<f64>>::deserialize(deserializer)?.into_iter().flatten().collect())
}
