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
    /// Price on the first simulated day, in dollars.
    pub start_price: f64,
    /// Typical shares traded per day.
    pub daily_volume: u64,
}

const fn listing(
    symbol: &'static str,
    name: &'static str,
    sector: &'static str,
    start_price: f64,
    daily_volume: u64,
) -> Listing {
    Listing {
        symbol,
        name,
        sector,
        start_price,
        daily_volume,
    }
}

/// Every symbol the simulated market knows, alphabetically.
pub const LISTINGS: &[Listing] = &[
    listing("AAPL", "Apple Inc.", "Technology", 74.0, 55_000_000),
    listing("ABBV", "AbbVie Inc.", "Health Care", 88.0, 6_000_000),
    listing("ADBE", "Adobe Inc.", "Technology", 334.0, 3_000_000),
    listing(
        "AMD",
        "Advanced Micro Devices, Inc.",
        "Technology",
        48.0,
        50_000_000,
    ),
    listing(
        "AMZN",
        "Amazon.com, Inc.",
        "Consumer Discretionary",
        94.0,
        45_000_000,
    ),
    listing("AVGO", "Broadcom Inc.", "Technology", 31.0, 20_000_000),
    listing("BA", "The Boeing Company", "Industrials", 332.0, 7_000_000),
    listing(
        "BAC",
        "Bank of America Corporation",
        "Financials",
        35.0,
        38_000_000,
    ),
    listing(
        "BRK.B",
        "Berkshire Hathaway Inc.",
        "Financials",
        227.0,
        3_500_000,
    ),
    listing("C", "Citigroup Inc.", "Financials", 80.0, 15_000_000),
    listing("CAT", "Caterpillar Inc.", "Industrials", 147.0, 3_000_000),
    listing(
        "COST",
        "Costco Wholesale Corporation",
        "Consumer Staples",
        300.0,
        2_000_000,
    ),
    listing("CRM", "Salesforce, Inc.", "Technology", 164.0, 6_000_000),
    listing(
        "CSCO",
        "Cisco Systems, Inc.",
        "Technology",
        48.0,
        18_000_000,
    ),
    listing("CVX", "Chevron Corporation", "Energy", 120.0, 8_000_000),
    listing(
        "DIS",
        "The Walt Disney Company",
        "Communication Services",
        145.0,
        10_000_000,
    ),
    listing(
        "GE",
        "General Electric Company",
        "Industrials",
        60.0,
        6_000_000,
    ),
    listing(
        "GOOG",
        "Alphabet Inc. (Class C)",
        "Communication Services",
        68.0,
        25_000_000,
    ),
    listing(
        "GOOGL",
        "Alphabet Inc. (Class A)",
        "Communication Services",
        68.0,
        30_000_000,
    ),
    listing(
        "GS",
        "The Goldman Sachs Group, Inc.",
        "Financials",
        230.0,
        2_500_000,
    ),
    listing(
        "HD",
        "The Home Depot, Inc.",
        "Consumer Discretionary",
        218.0,
        3_500_000,
    ),
    listing(
        "IBM",
        "International Business Machines Corporation",
        "Technology",
        134.0,
        4_000_000,
    ),
    listing("INTC", "Intel Corporation", "Technology", 60.0, 40_000_000),
    listing("JNJ", "Johnson & Johnson", "Health Care", 146.0, 7_000_000),
    listing(
        "JPM",
        "JPMorgan Chase & Co.",
        "Financials",
        139.0,
        9_000_000,
    ),
    listing(
        "KO",
        "The Coca-Cola Company",
        "Consumer Staples",
        55.0,
        13_000_000,
    ),
    listing(
        "LLY",
        "Eli Lilly and Company",
        "Health Care",
        132.0,
        3_000_000,
    ),
    listing(
        "MA",
        "Mastercard Incorporated",
        "Financials",
        300.0,
        3_000_000,
    ),
    listing(
        "MCD",
        "McDonald's Corporation",
        "Consumer Discretionary",
        198.0,
        3_000_000,
    ),
    listing(
        "META",
        "Meta Platforms, Inc.",
        "Communication Services",
        208.0,
        18_000_000,
    ),
    listing("MRK", "Merck & Co., Inc.", "Health Care", 91.0, 8_000_000),
    listing("MS", "Morgan Stanley", "Financials", 51.0, 8_000_000),
    listing(
        "MSFT",
        "Microsoft Corporation",
        "Technology",
        158.0,
        22_000_000,
    ),
    listing(
        "NFLX",
        "Netflix, Inc.",
        "Communication Services",
        335.0,
        4_000_000,
    ),
    listing(
        "NKE",
        "NIKE, Inc.",
        "Consumer Discretionary",
        101.0,
        7_000_000,
    ),
    listing("NVDA", "NVIDIA Corporation", "Technology", 6.0, 300_000_000),
    listing("ORCL", "Oracle Corporation", "Technology", 53.0, 9_000_000),
    listing("PEP", "PepsiCo, Inc.", "Consumer Staples", 136.0, 5_000_000),
    listing("PFE", "Pfizer Inc.", "Health Care", 37.0, 30_000_000),
    listing(
        "PG",
        "The Procter & Gamble Company",
        "Consumer Staples",
        123.0,
        7_000_000,
    ),
    listing(
        "PYPL",
        "PayPal Holdings, Inc.",
        "Financials",
        110.0,
        12_000_000,
    ),
    listing(
        "QCOM",
        "QUALCOMM Incorporated",
        "Technology",
        88.0,
        9_000_000,
    ),
    listing(
        "SBUX",
        "Starbucks Corporation",
        "Consumer Discretionary",
        88.0,
        8_000_000,
    ),
    listing("T", "AT&T Inc.", "Communication Services", 19.0, 35_000_000),
    listing(
        "TMO",
        "Thermo Fisher Scientific Inc.",
        "Health Care",
        325.0,
        1_800_000,
    ),
    listing(
        "TSLA",
        "Tesla, Inc.",
        "Consumer Discretionary",
        30.0,
        100_000_000,
    ),
    listing(
        "UNH",
        "UnitedHealth Group Incorporated",
        "Health Care",
        295.0,
        3_500_000,
    ),
    listing("V", "Visa Inc.", "Financials", 190.0, 7_000_000),
    listing(
        "VZ",
        "Verizon Communications Inc.",
        "Communication Services",
        60.0,
        18_000_000,
    ),
    listing(
        "WFC",
        "Wells Fargo & Company",
        "Financials",
        54.0,
        20_000_000,
    ),
    listing("WMT", "Walmart Inc.", "Consumer Staples", 40.0, 20_000_000),
    listing("XOM", "Exxon Mobil Corporation", "Energy", 70.0, 18_000_000),
];

/// Looks a normalised symbol up in [`LISTINGS`].
pub fn find(symbol: &str) -> Option<&'static Listing> {
    LISTINGS
        .binary_search_by(|l| l.symbol.cmp(symbol))
        .ok()
        .map(|i| &LISTINGS[i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Symbol;

    #[test]
    fn the_universe_holds_at_least_fifty_valid_sorted_unique_symbols() {
        assert!(LISTINGS.len() >= 50, "{} listings", LISTINGS.len());
        for pair in LISTINGS.windows(2) {
            assert!(
                pair[0].symbol < pair[1].symbol,
                "{} before {}",
                pair[0].symbol,
                pair[1].symbol
            );
        }
        for l in LISTINGS {
            assert_eq!(Symbol::parse(l.symbol).unwrap().as_str(), l.symbol);
            assert!(l.start_price > 0.0 && l.daily_volume > 0);
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
