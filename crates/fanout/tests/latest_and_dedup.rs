//! Latest wins and deduplication, on virtual time.

use std::{cell::RefCell, rc::Rc, time::Duration};

use fanout::{CancelToken, Dedup, Engine, LatestWins, Policy, Timer, VirtualTimer};

#[test]
fn the_newest_batch_is_delivered_and_a_superseded_one_never_is() {
    let timer = VirtualTimer::new();
    let slots: LatestWins<&str> = LatestWins::new();
    let screen = Rc::new(RefCell::new(Vec::new()));
    let engine = Engine::new(timer.clone(), Policy::default());
    let (t, s, shown) = (timer.clone(), slots.clone(), screen.clone());
    timer.run(async move {
        // Batch 1 is slow; batch 2 starts 100 ms later and answers first.
        let batch = |label: &'static str, latency_ms: u64, start_ms: u64| {
            let (t, s, shown, engine) = (t.clone(), s.clone(), shown.clone(), engine.clone());
            async move {
                t.sleep(Duration::from_millis(start_ms)).await;
                let ticket = s.begin("AAPL 1y");
                let t2 = t.clone();
                let request = move |_attempt: u32| {
                    let t = t2.clone();
                    async move {
                        t.sleep(Duration::from_millis(latency_ms)).await;
                        Ok::<_, Never>(label)
                    }
                };
                let report = engine.run(vec![request], ticket.cancel_token()).await;
                if let Ok(value) = &report.outcomes()[0].result {
                    ticket.deliver(|| shown.borrow_mut().push(*value));
                }
            }
        };
        futures::join!(batch("old", 1000, 0), batch("new", 200, 100));
    });
    assert_eq!(*screen.borrow(), ["new"], "the newest was shown and the superseded one never");
}

#[test]
fn a_ticket_for_another_key_is_not_superseded() {
    let slots: LatestWins<&str> = LatestWins::new();
    let aapl = slots.begin("AAPL");
    let msft = slots.begin("MSFT");
    assert!(aapl.is_current() && msft.is_current());
    let aapl_again = slots.begin("AAPL");
    assert!(!aapl.is_current() && aapl_again.is_current() && msft.is_current());
    assert!(aapl.cancel_token().is_cancelled() && !CancelToken::new().is_cancelled());
}

#[test]
fn concurrent_identical_requests_share_one() {
    let timer = VirtualTimer::new();
    let dedup: Dedup<String, u32> = Dedup::new();
    let sent = Rc::new(RefCell::new(0));
    let (t, d, s) = (timer.clone(), dedup.clone(), sent.clone());
    let answers = timer.run(async move {
        let ask = |key: &str| {
            let (t, d, s) = (t.clone(), d.clone(), s.clone());
            let key = key.to_owned();
            async move {
                d.get(key, move || async move {
                    *s.borrow_mut() += 1;
                    t.sleep(Duration::from_millis(100)).await;
                    42
                })
                .await
            }
        };
        futures::join!(ask("AAPL"), ask("AAPL"), ask("AAPL"), ask("MSFT"))
    });
    assert_eq!(answers, (42, 42, 42, 42));
    assert_eq!(*sent.borrow(), 2, "one request for AAPL, one for MSFT");
    assert_eq!(dedup.in_flight(), 0, "finished requests leave the table");
}

/// An error that never happens.
#[derive(Debug)]
enum Never {}

impl fanout::Classify for Never {
    fn classify(&self) -> fanout::Retryable {
        match *self {}
    }
}
