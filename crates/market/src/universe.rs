//! The simulated market's universe: the well-known US-listed companies with
//! their real names and sectors, plus fictional companies that fill it to
//! over 500 symbols. Each listing carries the price its random walk passes
//! through and its typical daily volume.

use std::sync::LazyLock;

use crate::sim::splitmix;

/// One listed company in the simulated market.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// Ticker symbol, normalised.
    pub symbol: String,
    /// Company name.
    pub name: String,
    /// Sector, as a short label.
    pub sector: &'static str,
    /// Closing price on [`crate::sim::REFERENCE_DATE`], in dollars: the random
    /// walk is scaled to pass through it, so prices stay near real ones.
    pub reference_price: f64,
    /// Typical shares traded per day.
    pub daily_volume: u64,
    /// Whether the company is one of the fictional fillers.
    pub fictional: bool,
}

/// The most matches a search returns.
pub const MAX_SEARCH_RESULTS: usize = 20;

/// Every symbol the simulated market knows, sorted by symbol.
pub fn listings() -> &'static [Listing] {
    &UNIVERSE
}

/// Looks a normalised symbol up.
pub fn find(symbol: &str) -> Option<&'static Listing> {
    UNIVERSE.binary_search_by(|l| l.symbol.as_str().cmp(symbol)).ok().map(|i| &UNIVERSE[i])
}

/// Listings matching `query` by symbol or name prefix, best first, at most
/// `limit`: the exact symbol, then symbols starting with it, then names
/// starting with it, then names with a word starting with it; real companies
/// before fictional ones, shorter symbols first, then alphabetically.
pub fn search(query: &str, limit: usize) -> Vec<&'static Listing> {
    let query = query.trim();
    if query.is_empty() {
        return Vec::new();
    }
    let upper = query.to_uppercase();
    let lower = query.to_lowercase();
    let rank = |l: &Listing| -> Option<u8> {
        let name = l.name.to_lowercase();
        if l.symbol == upper {
            Some(0)
        } else if l.symbol.starts_with(&upper) {
            Some(1)
        } else if name.starts_with(&lower) {
            Some(2)
        } else if name.split([' ', '-', '.', ',']).any(|word| word.starts_with(&lower)) {
            Some(3)
        } else {
            None
        }
    };
    let mut matches: Vec<(u8, &'static Listing)> = UNIVERSE.iter().filter_map(|l| rank(l).map(|r| (r, l))).collect();
    matches.sort_by(|(ra, a), (rb, b)| {
        (ra, a.fictional, a.symbol.len(), &a.symbol).cmp(&(rb, b.fictional, b.symbol.len(), &b.symbol))
    });
    matches.into_iter().take(limit).map(|(_, l)| l).collect()
}

static UNIVERSE: LazyLock<Vec<Listing>> = LazyLock::new(|| {
    let mut all: Vec<Listing> = REAL
        .iter()
        .map(|&(symbol, name, sector, reference_price, daily_volume)| Listing {
            symbol: symbol.to_owned(),
            name: name.to_owned(),
            sector,
            reference_price,
            daily_volume,
            fictional: false,
        })
        .collect();
    let fictional = fictional_listings(FICTIONAL_COUNT, &all);
    all.extend(fictional);
    all.sort_by(|a, b| a.symbol.cmp(&b.symbol));
    all
});

/// How many fictional companies fill the universe.
const FICTIONAL_COUNT: usize = 300;

/// Real companies: (symbol, name, sector, reference price, daily volume).
const REAL: &[(&str, &str, &str, f64, u64)] = &[
    ("AAPL", "Apple Inc.", "Technology", 270.0, 55_000_000),
    ("ABBV", "AbbVie Inc.", "Health Care", 220.0, 6_000_000),
    ("ACN", "Accenture plc", "Technology", 250.0, 3_000_000),
    ("ADBE", "Adobe Inc.", "Technology", 350.0, 3_000_000),
    ("ADI", "Analog Devices, Inc.", "Technology", 240.0, 3_500_000),
    ("ADP", "Automatic Data Processing, Inc.", "Industrials", 290.0, 1_800_000),
    ("ADSK", "Autodesk, Inc.", "Technology", 300.0, 1_500_000),
    ("AFL", "Aflac Incorporated", "Financials", 108.0, 2_500_000),
    ("AIG", "American International Group, Inc.", "Financials", 78.0, 4_000_000),
    ("ALL", "The Allstate Corporation", "Financials", 205.0, 1_500_000),
    ("AMAT", "Applied Materials, Inc.", "Technology", 230.0, 7_000_000),
    ("AMD", "Advanced Micro Devices, Inc.", "Technology", 215.0, 50_000_000),
    ("AMGN", "Amgen Inc.", "Health Care", 330.0, 2_500_000),
    ("AMT", "American Tower Corporation", "Real Estate", 180.0, 2_500_000),
    ("AMZN", "Amazon.com, Inc.", "Consumer Discretionary", 230.0, 45_000_000),
    ("ANET", "Arista Networks, Inc.", "Technology", 130.0, 8_000_000),
    ("AON", "Aon plc", "Financials", 350.0, 1_200_000),
    ("APD", "Air Products and Chemicals, Inc.", "Materials", 250.0, 1_500_000),
    ("APH", "Amphenol Corporation", "Technology", 135.0, 7_000_000),
    ("ARM", "Arm Holdings plc", "Technology", 140.0, 5_000_000),
    ("ASML", "ASML Holding N.V.", "Technology", 1050.0, 1_500_000),
    ("AVGO", "Broadcom Inc.", "Technology", 350.0, 20_000_000),
    ("AXP", "American Express Company", "Financials", 370.0, 3_000_000),
    ("AZO", "AutoZone, Inc.", "Consumer Discretionary", 3900.0, 150_000),
    ("BA", "The Boeing Company", "Industrials", 200.0, 7_000_000),
    ("BABA", "Alibaba Group Holding Limited", "Consumer Discretionary", 160.0, 15_000_000),
    ("BAC", "Bank of America Corporation", "Financials", 53.0, 38_000_000),
    ("BDX", "Becton, Dickinson and Company", "Health Care", 195.0, 1_800_000),
    ("BK", "The Bank of New York Mellon Corporation", "Financials", 115.0, 4_000_000),
    ("BKNG", "Booking Holdings Inc.", "Consumer Discretionary", 5300.0, 250_000),
    ("BLK", "BlackRock, Inc.", "Financials", 1080.0, 700_000),
    ("BMY", "Bristol-Myers Squibb Company", "Health Care", 50.0, 12_000_000),
    ("BP", "BP p.l.c.", "Energy", 36.0, 9_000_000),
    ("BRK.B", "Berkshire Hathaway Inc.", "Financials", 500.0, 3_500_000),
    ("BSX", "Boston Scientific Corporation", "Health Care", 100.0, 6_000_000),
    ("BX", "Blackstone Inc.", "Financials", 150.0, 4_000_000),
    ("C", "Citigroup Inc.", "Financials", 100.0, 15_000_000),
    ("CAT", "Caterpillar Inc.", "Industrials", 580.0, 3_000_000),
    ("CB", "Chubb Limited", "Financials", 300.0, 1_800_000),
    ("CCI", "Crown Castle Inc.", "Real Estate", 92.0, 2_500_000),
    ("CDNS", "Cadence Design Systems, Inc.", "Technology", 320.0, 1_800_000),
    ("CHTR", "Charter Communications, Inc.", "Communication Services", 210.0, 1_500_000),
    ("CI", "The Cigna Group", "Health Care", 275.0, 1_500_000),
    ("CL", "Colgate-Palmolive Company", "Consumer Staples", 78.0, 4_500_000),
    ("CMCSA", "Comcast Corporation", "Communication Services", 29.0, 20_000_000),
    ("CME", "CME Group Inc.", "Financials", 275.0, 2_000_000),
    ("CMG", "Chipotle Mexican Grill, Inc.", "Consumer Discretionary", 36.0, 20_000_000),
    ("COF", "Capital One Financial Corporation", "Financials", 225.0, 3_500_000),
    ("COIN", "Coinbase Global, Inc.", "Financials", 260.0, 8_000_000),
    ("COP", "ConocoPhillips", "Energy", 92.0, 7_000_000),
    ("COST", "Costco Wholesale Corporation", "Consumer Staples", 900.0, 2_000_000),
    ("CRM", "Salesforce, Inc.", "Technology", 240.0, 6_000_000),
    ("CRWD", "CrowdStrike Holdings, Inc.", "Technology", 500.0, 3_000_000),
    ("CSCO", "Cisco Systems, Inc.", "Technology", 75.0, 18_000_000),
    ("CSX", "CSX Corporation", "Industrials", 36.0, 12_000_000),
    ("CTAS", "Cintas Corporation", "Industrials", 190.0, 1_500_000),
    ("CVS", "CVS Health Corporation", "Health Care", 78.0, 8_000_000),
    ("CVX", "Chevron Corporation", "Energy", 150.0, 8_000_000),
    ("D", "Dominion Energy, Inc.", "Utilities", 60.0, 4_000_000),
    ("DAL", "Delta Air Lines, Inc.", "Industrials", 62.0, 8_000_000),
    ("DDOG", "Datadog, Inc.", "Technology", 150.0, 5_000_000),
    ("DE", "Deere & Company", "Industrials", 470.0, 1_500_000),
    ("DELL", "Dell Technologies Inc.", "Technology", 125.0, 6_000_000),
    ("DHR", "Danaher Corporation", "Health Care", 225.0, 3_500_000),
    ("DIS", "The Walt Disney Company", "Communication Services", 112.0, 10_000_000),
    ("DUK", "Duke Energy Corporation", "Utilities", 120.0, 3_000_000),
    ("EA", "Electronic Arts Inc.", "Communication Services", 200.0, 2_500_000),
    ("EBAY", "eBay Inc.", "Consumer Discretionary", 82.0, 5_000_000),
    ("ECL", "Ecolab Inc.", "Materials", 265.0, 1_200_000),
    ("EL", "The Estée Lauder Companies Inc.", "Consumer Staples", 95.0, 4_000_000),
    ("ELV", "Elevance Health, Inc.", "Health Care", 330.0, 1_500_000),
    ("EMR", "Emerson Electric Co.", "Industrials", 135.0, 3_000_000),
    ("EOG", "EOG Resources, Inc.", "Energy", 110.0, 3_500_000),
    ("EQIX", "Equinix, Inc.", "Real Estate", 780.0, 500_000),
    ("ETN", "Eaton Corporation plc", "Industrials", 350.0, 2_500_000),
    ("EW", "Edwards Lifesciences Corporation", "Health Care", 85.0, 4_000_000),
    ("EXC", "Exelon Corporation", "Utilities", 45.0, 6_000_000),
    ("F", "Ford Motor Company", "Consumer Discretionary", 13.0, 60_000_000),
    ("FCX", "Freeport-McMoRan Inc.", "Materials", 42.0, 12_000_000),
    ("FDX", "FedEx Corporation", "Industrials", 280.0, 1_800_000),
    ("FTNT", "Fortinet, Inc.", "Technology", 82.0, 5_000_000),
    ("GD", "General Dynamics Corporation", "Industrials", 340.0, 1_200_000),
    ("GE", "General Electric Company", "Industrials", 300.0, 6_000_000),
    ("GILD", "Gilead Sciences, Inc.", "Health Care", 125.0, 7_000_000),
    ("GIS", "General Mills, Inc.", "Consumer Staples", 48.0, 5_000_000),
    ("GM", "General Motors Company", "Consumer Discretionary", 75.0, 9_000_000),
    ("GOOG", "Alphabet Inc. (Class C)", "Communication Services", 310.0, 25_000_000),
    ("GOOGL", "Alphabet Inc. (Class A)", "Communication Services", 309.0, 30_000_000),
    ("GS", "The Goldman Sachs Group, Inc.", "Financials", 850.0, 2_500_000),
    ("HCA", "HCA Healthcare, Inc.", "Health Care", 460.0, 1_200_000),
    ("HD", "The Home Depot, Inc.", "Consumer Discretionary", 350.0, 3_500_000),
    ("HON", "Honeywell International Inc.", "Industrials", 195.0, 3_500_000),
    ("HPE", "Hewlett Packard Enterprise Company", "Technology", 23.0, 18_000_000),
    ("HPQ", "HP Inc.", "Technology", 25.0, 9_000_000),
    ("HSY", "The Hershey Company", "Consumer Staples", 185.0, 1_500_000),
    ("HUM", "Humana Inc.", "Health Care", 245.0, 1_800_000),
    ("IBM", "International Business Machines Corporation", "Technology", 300.0, 4_000_000),
    ("ICE", "Intercontinental Exchange, Inc.", "Financials", 155.0, 3_500_000),
    ("INTC", "Intel Corporation", "Technology", 38.0, 40_000_000),
    ("INTU", "Intuit Inc.", "Technology", 660.0, 1_500_000),
    ("ISRG", "Intuitive Surgical, Inc.", "Health Care", 560.0, 1_500_000),
    ("ITW", "Illinois Tool Works Inc.", "Industrials", 250.0, 1_000_000),
    ("JNJ", "Johnson & Johnson", "Health Care", 205.0, 7_000_000),
    ("JPM", "JPMorgan Chase & Co.", "Financials", 315.0, 9_000_000),
    ("KDP", "Keurig Dr Pepper Inc.", "Consumer Staples", 28.0, 10_000_000),
    ("KHC", "The Kraft Heinz Company", "Consumer Staples", 25.0, 10_000_000),
    ("KLAC", "KLA Corporation", "Technology", 1150.0, 900_000),
    ("KMB", "Kimberly-Clark Corporation", "Consumer Staples", 105.0, 2_500_000),
    ("KO", "The Coca-Cola Company", "Consumer Staples", 70.0, 13_000_000),
    ("KR", "The Kroger Co.", "Consumer Staples", 63.0, 6_000_000),
    ("LIN", "Linde plc", "Materials", 420.0, 2_000_000),
    ("LLY", "Eli Lilly and Company", "Health Care", 1000.0, 3_000_000),
    ("LMT", "Lockheed Martin Corporation", "Industrials", 480.0, 1_200_000),
    ("LOW", "Lowe's Companies, Inc.", "Consumer Discretionary", 245.0, 2_500_000),
    ("LRCX", "Lam Research Corporation", "Technology", 160.0, 9_000_000),
    ("LULU", "Lululemon Athletica Inc.", "Consumer Discretionary", 185.0, 3_000_000),
    ("MA", "Mastercard Incorporated", "Financials", 560.0, 3_000_000),
    ("MAR", "Marriott International, Inc.", "Consumer Discretionary", 300.0, 1_500_000),
    ("MCD", "McDonald's Corporation", "Consumer Discretionary", 305.0, 3_000_000),
    ("MCHP", "Microchip Technology Incorporated", "Technology", 65.0, 7_000_000),
    ("MCK", "McKesson Corporation", "Health Care", 850.0, 800_000),
    ("MCO", "Moody's Corporation", "Financials", 490.0, 800_000),
    ("MDLZ", "Mondelez International, Inc.", "Consumer Staples", 57.0, 8_000_000),
    ("MDT", "Medtronic plc", "Health Care", 100.0, 6_000_000),
    ("MET", "MetLife, Inc.", "Financials", 78.0, 3_500_000),
    ("META", "Meta Platforms, Inc.", "Communication Services", 650.0, 18_000_000),
    ("MMC", "Marsh & McLennan Companies, Inc.", "Financials", 185.0, 2_000_000),
    ("MMM", "3M Company", "Industrials", 170.0, 3_500_000),
    ("MNST", "Monster Beverage Corporation", "Consumer Staples", 72.0, 6_000_000),
    ("MO", "Altria Group, Inc.", "Consumer Staples", 58.0, 8_000_000),
    ("MPC", "Marathon Petroleum Corporation", "Energy", 190.0, 2_500_000),
    ("MRK", "Merck & Co., Inc.", "Health Care", 100.0, 8_000_000),
    ("MRNA", "Moderna, Inc.", "Health Care", 30.0, 9_000_000),
    ("MS", "Morgan Stanley", "Financials", 170.0, 8_000_000),
    ("MSFT", "Microsoft Corporation", "Technology", 480.0, 22_000_000),
    ("MU", "Micron Technology, Inc.", "Technology", 250.0, 20_000_000),
    ("NEE", "NextEra Energy, Inc.", "Utilities", 82.0, 9_000_000),
    ("NFLX", "Netflix, Inc.", "Communication Services", 95.0, 4_000_000),
    ("NKE", "NIKE, Inc.", "Consumer Discretionary", 65.0, 7_000_000),
    ("NOC", "Northrop Grumman Corporation", "Industrials", 570.0, 800_000),
    ("NOW", "ServiceNow, Inc.", "Technology", 850.0, 1_500_000),
    ("NSC", "Norfolk Southern Corporation", "Industrials", 290.0, 1_200_000),
    ("NVDA", "NVIDIA Corporation", "Technology", 185.0, 300_000_000),
    ("NXPI", "NXP Semiconductors N.V.", "Technology", 210.0, 2_500_000),
    ("OKTA", "Okta, Inc.", "Technology", 85.0, 3_000_000),
    ("ORCL", "Oracle Corporation", "Technology", 200.0, 9_000_000),
    ("ORLY", "O'Reilly Automotive, Inc.", "Consumer Discretionary", 100.0, 5_000_000),
    ("OXY", "Occidental Petroleum Corporation", "Energy", 42.0, 9_000_000),
    ("PANW", "Palo Alto Networks, Inc.", "Technology", 200.0, 5_000_000),
    ("PAYX", "Paychex, Inc.", "Industrials", 115.0, 2_500_000),
    ("PCAR", "PACCAR Inc", "Industrials", 105.0, 3_000_000),
    ("PEP", "PepsiCo, Inc.", "Consumer Staples", 145.0, 5_000_000),
    ("PFE", "Pfizer Inc.", "Health Care", 25.0, 30_000_000),
    ("PG", "The Procter & Gamble Company", "Consumer Staples", 145.0, 7_000_000),
    ("PGR", "The Progressive Corporation", "Financials", 230.0, 3_000_000),
    ("PLD", "Prologis, Inc.", "Real Estate", 125.0, 3_500_000),
    ("PLTR", "Palantir Technologies Inc.", "Technology", 180.0, 50_000_000),
    ("PM", "Philip Morris International Inc.", "Consumer Staples", 155.0, 5_000_000),
    ("PNC", "The PNC Financial Services Group, Inc.", "Financials", 200.0, 2_000_000),
    ("PSX", "Phillips 66", "Energy", 135.0, 3_000_000),
    ("PYPL", "PayPal Holdings, Inc.", "Financials", 60.0, 12_000_000),
    ("QCOM", "QUALCOMM Incorporated", "Technology", 170.0, 9_000_000),
    ("REGN", "Regeneron Pharmaceuticals, Inc.", "Health Care", 760.0, 900_000),
    ("RIVN", "Rivian Automotive, Inc.", "Consumer Discretionary", 17.0, 30_000_000),
    ("ROP", "Roper Technologies, Inc.", "Technology", 450.0, 600_000),
    ("ROST", "Ross Stores, Inc.", "Consumer Discretionary", 175.0, 2_500_000),
    ("RTX", "RTX Corporation", "Industrials", 175.0, 5_000_000),
    ("SBUX", "Starbucks Corporation", "Consumer Discretionary", 85.0, 8_000_000),
    ("SCHW", "The Charles Schwab Corporation", "Financials", 95.0, 8_000_000),
    ("SHOP", "Shopify Inc.", "Technology", 160.0, 8_000_000),
    ("SHW", "The Sherwin-Williams Company", "Materials", 340.0, 1_500_000),
    ("SLB", "SLB N.V.", "Energy", 37.0, 12_000_000),
    ("SNOW", "Snowflake Inc.", "Technology", 230.0, 5_000_000),
    ("SNPS", "Synopsys, Inc.", "Technology", 410.0, 1_500_000),
    ("SO", "The Southern Company", "Utilities", 88.0, 4_500_000),
    ("SONY", "Sony Group Corporation", "Consumer Discretionary", 27.0, 6_000_000),
    ("SPG", "Simon Property Group, Inc.", "Real Estate", 180.0, 1_500_000),
    ("SPGI", "S&P Global Inc.", "Financials", 500.0, 1_500_000),
    ("SPOT", "Spotify Technology S.A.", "Communication Services", 620.0, 1_800_000),
    ("SRE", "Sempra", "Utilities", 90.0, 3_000_000),
    ("STZ", "Constellation Brands, Inc.", "Consumer Staples", 135.0, 2_000_000),
    ("SYK", "Stryker Corporation", "Health Care", 370.0, 1_500_000),
    ("SYY", "Sysco Corporation", "Consumer Staples", 76.0, 3_000_000),
    ("T", "AT&T Inc.", "Communication Services", 25.0, 35_000_000),
    ("TGT", "Target Corporation", "Consumer Staples", 92.0, 5_000_000),
    ("TJX", "The TJX Companies, Inc.", "Consumer Discretionary", 150.0, 5_000_000),
    ("TM", "Toyota Motor Corporation", "Consumer Discretionary", 200.0, 300_000),
    ("TMO", "Thermo Fisher Scientific Inc.", "Health Care", 580.0, 1_800_000),
    ("TMUS", "T-Mobile US, Inc.", "Communication Services", 210.0, 4_000_000),
    ("TRV", "The Travelers Companies, Inc.", "Financials", 280.0, 1_200_000),
    ("TSLA", "Tesla, Inc.", "Consumer Discretionary", 430.0, 100_000_000),
    ("TSM", "Taiwan Semiconductor Manufacturing Company Limited", "Technology", 290.0, 12_000_000),
    ("TT", "Trane Technologies plc", "Industrials", 410.0, 1_200_000),
    ("TXN", "Texas Instruments Incorporated", "Technology", 165.0, 6_000_000),
    ("UBER", "Uber Technologies, Inc.", "Industrials", 90.0, 18_000_000),
    ("UNH", "UnitedHealth Group Incorporated", "Health Care", 330.0, 3_500_000),
    ("UNP", "Union Pacific Corporation", "Industrials", 230.0, 2_500_000),
    ("UPS", "United Parcel Service, Inc.", "Industrials", 98.0, 5_000_000),
    ("USB", "U.S. Bancorp", "Financials", 48.0, 8_000_000),
    ("V", "Visa Inc.", "Financials", 345.0, 7_000_000),
    ("VLO", "Valero Energy Corporation", "Energy", 170.0, 3_000_000),
    ("VRTX", "Vertex Pharmaceuticals Incorporated", "Health Care", 450.0, 1_500_000),
    ("VZ", "Verizon Communications Inc.", "Communication Services", 40.0, 18_000_000),
    ("WDAY", "Workday, Inc.", "Technology", 215.0, 2_500_000),
    ("WELL", "Welltower Inc.", "Real Estate", 190.0, 3_000_000),
    ("WFC", "Wells Fargo & Company", "Financials", 90.0, 20_000_000),
    ("WM", "Waste Management, Inc.", "Industrials", 215.0, 1_800_000),
    ("WMT", "Walmart Inc.", "Consumer Staples", 112.0, 20_000_000),
    ("XEL", "Xcel Energy Inc.", "Utilities", 80.0, 3_500_000),
    ("XOM", "Exxon Mobil Corporation", "Energy", 118.0, 18_000_000),
    ("YUM", "Yum! Brands, Inc.", "Consumer Discretionary", 150.0, 2_000_000),
    ("ZM", "Zoom Communications, Inc.", "Technology", 82.0, 3_000_000),
    ("ZTS", "Zoetis Inc.", "Health Care", 125.0, 3_000_000),
];

const NAME_STEMS: [&str; 50] = [
    "Alder",
    "Amber",
    "Arbor",
    "Aster",
    "Basalt",
    "Birch",
    "Bluewater",
    "Brightline",
    "Cairn",
    "Calder",
    "Cinder",
    "Clearwater",
    "Copperleaf",
    "Corvid",
    "Driftwood",
    "Ember",
    "Fairhaven",
    "Fernhill",
    "Flint",
    "Galena",
    "Granite",
    "Harbor",
    "Heron",
    "Ironwood",
    "Juniper",
    "Kestrel",
    "Lantern",
    "Larkspur",
    "Meridian",
    "Millstone",
    "Northgate",
    "Oakridge",
    "Onyx",
    "Orchard",
    "Pinecrest",
    "Quarry",
    "Redwood",
    "Ridgeline",
    "Saltmarsh",
    "Sierra",
    "Silverpine",
    "Solstice",
    "Stonebridge",
    "Summit",
    "Tamarack",
    "Thistle",
    "Tidewater",
    "Timber",
    "Verdant",
    "Willow",
];

/// Business lines of the fictional companies, with their sectors.
const BUSINESSES: [(&str, &str); 20] = [
    ("Analytics", "Technology"),
    ("Biosciences", "Health Care"),
    ("Capital", "Financials"),
    ("Energy", "Energy"),
    ("Foods", "Consumer Staples"),
    ("Industries", "Industrials"),
    ("Logistics", "Industrials"),
    ("Materials", "Materials"),
    ("Media", "Communication Services"),
    ("Networks", "Technology"),
    ("Pharmaceuticals", "Health Care"),
    ("Realty", "Real Estate"),
    ("Retail", "Consumer Discretionary"),
    ("Semiconductor", "Technology"),
    ("Software", "Technology"),
    ("Utilities", "Utilities"),
    ("Apparel", "Consumer Discretionary"),
    ("Insurance", "Financials"),
    ("Robotics", "Industrials"),
    ("Therapeutics", "Health Care"),
];

const LEGAL_FORMS: [&str; 4] = ["Inc.", "Corp.", "Group", "Holdings"];

/// `count` fictional companies whose symbols clash with none in `taken`.
fn fictional_listings(count: usize, taken: &[Listing]) -> Vec<Listing> {
    let mut symbols: std::collections::BTreeSet<String> = taken.iter().map(|l| l.symbol.clone()).collect();
    let mut out = Vec::with_capacity(count);
    for i in 0.. {
        if out.len() == count {
            break;
        }
        let stem = NAME_STEMS[i % NAME_STEMS.len()];
        let (business, sector) = BUSINESSES[(i * 7 + i / NAME_STEMS.len()) % BUSINESSES.len()];
        let (stem_up, business_up) = (stem.to_uppercase(), business.to_uppercase());
        let candidates = [
            format!("{}{}", &stem_up[..3], &business_up[..1]),
            format!("{}{}", &stem_up[..2], &business_up[..2]),
            format!("{}{}", &stem_up[..1], &business_up[..3]),
            format!("{}{}", &stem_up[..3], &business_up[..2]),
            format!("{}{}", &stem_up[..4], &business_up[..1]),
        ];
        let Some(symbol) = candidates.into_iter().find(|s| !symbols.contains(s)) else { continue };
        symbols.insert(symbol.clone());
        let unit = |salt: u64| (splitmix(i as u64 ^ salt) >> 11) as f64 / (1u64 << 53) as f64;
        out.push(Listing {
            name: format!("{stem} {business} {}", LEGAL_FORMS[i % LEGAL_FORMS.len()]),
            symbol,
            sector,
            reference_price: (10.0 * 50f64.powf(unit(1))).round(),
            daily_volume: (200_000.0 * 100f64.powf(unit(2))) as u64,
            fictional: true,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Symbol;

    #[test]
    fn the_universe_holds_over_500_valid_sorted_unique_symbols() {
        let all = listings();
        assert!(all.len() >= 500, "{} listings", all.len());
        for pair in all.windows(2) {
            assert!(pair[0].symbol < pair[1].symbol, "{} before {}", pair[0].symbol, pair[1].symbol);
        }
        for l in all {
            assert_eq!(Symbol::parse(&l.symbol).unwrap().as_str(), l.symbol);
            assert!(l.reference_price > 0.0 && l.daily_volume > 0, "{l:?}");
            assert!(!l.name.is_empty() && !l.sector.is_empty());
        }
        assert!(all.iter().filter(|l| !l.fictional).count() >= 200);
    }

    #[test]
    fn the_seed_articles_tickers_are_listed_with_real_names() {
        for s in ["AAPL", "GOOG", "MSFT", "AMZN", "TSLA", "NVDA"] {
            let listing = find(s).unwrap();
            assert_eq!(listing.symbol, s);
            assert!(!listing.fictional);
        }
        assert_eq!(find("MSFT").unwrap().name, "Microsoft Corporation");
        assert_eq!(find("ZZZZ"), None);
    }

    #[test]
    fn search_ranks_exact_symbol_then_symbol_prefix_then_name() {
        let symbols = |q: &str| search(q, MAX_SEARCH_RESULTS).iter().map(|l| l.symbol.as_str()).collect::<Vec<_>>();
        let a = symbols("a");
        assert_eq!(a.len(), MAX_SEARCH_RESULTS);
        assert!(a.iter().all(|s| s.starts_with('A')), "{a:?}");
        assert_eq!(a[0], "ACN", "real companies first, shortest symbols first, then alphabetical");
        let apple = symbols("appl");
        assert_eq!(apple[0], "AAPL", "name prefix 'Apple' when no symbol starts with APPL: {apple:?}");
        let msft = symbols("msft");
        assert_eq!(msft, ["MSFT"]);
        let goog = symbols("goog");
        assert_eq!(goog[..2], ["GOOG", "GOOGL"]);
        let micro = symbols("micro");
        assert!(micro.contains(&"MSFT") && micro.contains(&"MU") && micro.contains(&"AMD"), "{micro:?}");
        assert!(symbols("   ").is_empty());
        assert!(symbols("qqqqqq").is_empty());
    }

    #[test]
    fn fictional_companies_are_deterministic() {
        let again = fictional_listings(FICTIONAL_COUNT, &[]);
        let first = fictional_listings(FICTIONAL_COUNT, &[]);
        assert_eq!(again, first);
    }
}
