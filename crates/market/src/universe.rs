//! The simulated market's fixed universe: well-known US stocks with their real
//! names and sectors, and the price each one starts its random walk from.

/// One listed company in the simulated market.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Listing {
    /// Ticker symbol, normalised.
    pub symbol: &'static str,
    /// Company name.
    pub name: &'static str,
    /// Sector, as a short label.
    pub sector: &'static str,
    /// Closing price on [`crate::sim::REFERENCE_DATE`], in dollars: the random
    /// walk is scaled to pass through it, so prices stay near real ones.
    pub reference_price: f64,
    /// Typical shares traded per day.
    pub daily_volume: u64,
}

const fn listing(
    symbol: &'static str,
    name: &'static str,
    sector: &'static str,
    reference_price: f64,
    daily_volume: u64,
) -> Listing {
    Listing { symbol, name, sector, reference_price, daily_volume }
}

/// Every symbol the simulated market knows, alphabetically.
pub const LISTINGS: &[Listing] = &[
    listing("AAPL", "Apple Inc.", "Technology", 270.0, 55_000_000),
    listing("ABBV", "AbbVie Inc.", "Health Care", 220.0, 6_000_000),
    listing("ADBE", "Adobe Inc.", "Technology", 350.0, 3_000_000),
    listing("AMD", "Advanced Micro Devices, Inc.", "Technology", 215.0, 50_000_000),
    listing("AMZN", "Amazon.com, Inc.", "Consumer Discretionary", 230.0, 45_000_000),
    listing("AVGO", "Broadcom Inc.", "Technology", 350.0, 20_000_000),
    listing("BA", "The Boeing Company", "Industrials", 200.0, 7_000_000),
    listing("BAC", "Bank of America Corporation", "Financials", 53.0, 38_000_000),
    listing("BRK.B", "Berkshire Hathaway Inc.", "Financials", 500.0, 3_500_000),
    listing("C", "Citigroup Inc.", "Financials", 100.0, 15_000_000),
    listing("CAT", "Caterpillar Inc.", "Industrials", 580.0, 3_000_000),
    listing("COST", "Costco Wholesale Corporation", "Consumer Staples", 900.0, 2_000_000),
    listing("CRM", "Salesforce, Inc.", "Technology", 240.0, 6_000_000),
    listing("CSCO", "Cisco Systems, Inc.", "Technology", 75.0, 18_000_000),
    listing("CVX", "Chevron Corporation", "Energy", 150.0, 8_000_000),
    listing("DIS", "The Walt Disney Company", "Communication Services", 112.0, 10_000_000),
    listing("GE", "General Electric Company", "Industrials", 300.0, 6_000_000),
    listing("GOOG", "Alphabet Inc. (Class C)", "Communication Services", 310.0, 25_000_000),
    listing("GOOGL", "Alphabet Inc. (Class A)", "Communication Services", 309.0, 30_000_000),
    listing("GS", "The Goldman Sachs Group, Inc.", "Financials", 850.0, 2_500_000),
    listing("HD", "The Home Depot, Inc.", "Consumer Discretionary", 350.0, 3_500_000),
    listing("IBM", "International Business Machines Corporation", "Technology", 300.0, 4_000_000),
    listing("INTC", "Intel Corporation", "Technology", 38.0, 40_000_000),
    listing("JNJ", "Johnson & Johnson", "Health Care", 205.0, 7_000_000),
    listing("JPM", "JPMorgan Chase & Co.", "Financials", 315.0, 9_000_000),
    listing("KO", "The Coca-Cola Company", "Consumer Staples", 70.0, 13_000_000),
    listing("LLY", "Eli Lilly and Company", "Health Care", 1000.0, 3_000_000),
    listing("MA", "Mastercard Incorporated", "Financials", 560.0, 3_000_000),
    listing("MCD", "McDonald's Corporation", "Consumer Discretionary", 305.0, 3_000_000),
    listing("META", "Meta Platforms, Inc.", "Communication Services", 650.0, 18_000_000),
    listing("MRK", "Merck & Co., Inc.", "Health Care", 100.0, 8_000_000),
    listing("MS", "Morgan Stanley", "Financials", 170.0, 8_000_000),
    listing("MSFT", "Microsoft Corporation", "Technology", 480.0, 22_000_000),
    listing("NFLX", "Netflix, Inc.", "Communication Services", 95.0, 4_000_000),
    listing("NKE", "NIKE, Inc.", "Consumer Discretionary", 65.0, 7_000_000),
    listing("NVDA", "NVIDIA Corporation", "Technology", 185.0, 300_000_000),
    listing("ORCL", "Oracle Corporation", "Technology", 200.0, 9_000_000),
    listing("PEP", "PepsiCo, Inc.", "Consumer Staples", 145.0, 5_000_000),
    listing("PFE", "Pfizer Inc.", "Health Care", 25.0, 30_000_000),
    listing("PG", "The Procter & Gamble Company", "Consumer Staples", 145.0, 7_000_000),
    listing("PYPL", "PayPal Holdings, Inc.", "Financials", 60.0, 12_000_000),
    listing("QCOM", "QUALCOMM Incorporated", "Technology", 170.0, 9_000_000),
    listing("SBUX", "Starbucks Corporation", "Consumer Discretionary", 85.0, 8_000_000),
    listing("T", "AT&T Inc.", "Communication Services", 25.0, 35_000_000),
    listing("TMO", "Thermo Fisher Scientific Inc.", "Health Care", 580.0, 1_800_000),
    listing("TSLA", "Tesla, Inc.", "Consumer Discretionary", 430.0, 100_000_000),
    listing("UNH", "UnitedHealth Group Incorporated", "Health Care", 330.0, 3_500_000),
    listing("V", "Visa Inc.", "Financials", 345.0, 7_000_000),
    listing("VZ", "Verizon Communications Inc.", "Communication Services", 40.0, 18_000_000),
    listing("WFC", "Wells Fargo & Company", "Financials", 90.0, 20_000_000),
    listing("WMT", "Walmart Inc.", "Consumer Staples", 112.0, 20_000_000),
    listing("XOM", "Exxon Mobil Corporation", "Energy", 118.0, 18_000_000),
];

/// Looks a normalised symbol up in [`LISTINGS`].
pub fn find(symbol: &str) -> Option<&'static Listing> {
    LISTINGS.binary_search_by(|l| l.symbol.cmp(symbol)).ok().map(|i| &LISTINGS[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Symbol;

    #[test]
    fn the_universe_holds_at_least_fifty_valid_sorted_unique_symbols() {
        assert!(LISTINGS.len() >= 50, "{} listings", LISTINGS.len());
        for pair in LISTINGS.windows(2) {
            assert!(pair[0].symbol < pair[1].symbol, "{} before {}", pair[0].symbol, pair[1].symbol);
        }
        for l in LISTINGS {
            assert_eq!(Symbol::parse(l.symbol).unwrap().as_str(), l.symbol);
            assert!(l.reference_price > 0.0 && l.daily_volume > 0);
        }
    }

    #[test]
    fn the_seed_articles_tickers_are_listed() {
        for s in ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA", "NVDA"] {
            assert_eq!(find(s).map(|l| l.symbol), Some(s));
        }
        assert_eq!(find("ZZZZ"), None);
    }
}
