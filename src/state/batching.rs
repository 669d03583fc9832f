//! How a refresh groups its quotes into calls of the batch endpoint: into as
//! many calls as the browser carries in one round over HTTP/1.1 (six), each
//! of up to [`MAX_BATCH`] symbols. A watchlist of up to six symbols is asked
//! quote by quote (every row lands on its own); 100 symbols go in six calls
//! that all fly at once, so the refresh costs about one latency; 1 000 go in
//! ten calls: one round over HTTP/2.

use market::Symbol;

/// The most symbols one call of `GET /api/v1/quotes?symbols=` takes (the API's limit).
pub const MAX_BATCH: usize = 100;
/// Calls per round: the connections a browser opens to one host over HTTP/1.1.
pub const CALLS_PER_ROUND: usize = 6;

/// Splits `symbols` (in order) into calls: single symbols while there are no
/// more than [`CALLS_PER_ROUND`], else `CALLS_PER_ROUND` even groups, or
/// groups of [`MAX_BATCH`] when there are more than that many.
pub fn batches(symbols: Vec<Symbol>) -> Vec<Vec<Symbol>> {
    let size = symbols.len().div_ceil(CALLS_PER_ROUND).clamp(1, MAX_BATCH);
    symbols.chunks(size).map(<[Symbol]>::to_vec).collect()
}

/// Splits `symbols` into calls of at most `size` symbols (a provider's
/// batch), all of them: a provider's credit budget, not the browser's
/// connections, decides when each goes (the engine spaces them out).
pub fn batches_of(symbols: Vec<Symbol>, size: usize) -> Vec<Vec<Symbol>> {
    symbols.chunks(size.max(1)).map(<[Symbol]>::to_vec).collect()
}

/// A batch call's name in a waterfall: `first…last (count)`.
pub fn label(group: &[Symbol]) -> String {
    match (group.first(), group.last()) {
        (Some(first), Some(last)) => format!("{first}…{last} ({})", group.len()),
        _ => "no symbols".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbols(n: usize) -> Vec<Symbol> {
        (0..n).map(|i| Symbol::parse(&format!("S{i}")).unwrap()).collect()
    }

    #[test]
    fn small_lists_go_quote_by_quote_and_large_ones_in_one_round() {
        let sizes = |n| batches(symbols(n)).iter().map(Vec::len).collect::<Vec<_>>();
        assert_eq!(sizes(0), Vec::<usize>::new());
        assert_eq!(sizes(5), [1, 1, 1, 1, 1]);
        assert_eq!(sizes(6), [1; 6]);
        assert_eq!(sizes(7), [2, 2, 2, 1]);
        assert_eq!(sizes(100), [17, 17, 17, 17, 17, 15]);
        assert_eq!(sizes(1000), [100; 10]);
        let all: Vec<Symbol> = batches(symbols(250)).concat();
        assert_eq!(all, symbols(250), "every symbol once, in order");
        assert_eq!(label(&symbols(3)), "S0…S2 (3)");
    }
}
