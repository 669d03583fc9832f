//! A small, fixed random sequence for backoff jitter: portable and seeded, so
//! the same seed gives the same waits on every platform.

/// SplitMix64: the next state (and output) after `x`. Its twin is
/// `market::sim::splitmix`: neither crate may depend on the other (the
/// engine knows nothing of markets, the market nothing of fan-out), and
/// eight lines are cheaper than a crate of their own.
pub(crate) fn splitmix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
