//! The virtual timer: sleeps wake exactly at their deadlines, in order.

use std::{cell::RefCell, rc::Rc, time::Duration};

use fanout::{Clock, Timer, VirtualTimer};
use futures::future::join_all;

#[test]
fn sleeps_finish_at_their_deadlines_in_order() {
    let timer = VirtualTimer::new();
    let log = Rc::new(RefCell::new(Vec::new()));
    let (t, l) = (timer.clone(), log.clone());
    timer.run(async move {
        let sleeps = [300u64, 100, 200].map(|ms| {
            let (t, l) = (t.clone(), l.clone());
            async move {
                t.sleep(Duration::from_millis(ms)).await;
                l.borrow_mut().push((ms, t.now()));
            }
        });
        join_all(sleeps).await;
    });
    let ms = Duration::from_millis;
    assert_eq!(*log.borrow(), [(100, ms(100)), (200, ms(200)), (300, ms(300))]);
    assert_eq!(timer.now(), ms(300));
}

#[test]
fn advance_wakes_only_what_is_due() {
    let timer = VirtualTimer::new();
    let t = timer.clone();
    let mut sleep = t.sleep(Duration::from_secs(2));
    let waker = futures::task::noop_waker();
    let mut cx = std::task::Context::from_waker(&waker);
    assert!(sleep.as_mut().poll(&mut cx).is_pending());
    assert_eq!(timer.next_deadline(), Some(Duration::from_secs(2)));
    timer.advance(Duration::from_secs(1));
    assert!(sleep.as_mut().poll(&mut cx).is_pending());
    timer.advance(Duration::from_secs(1));
    assert!(sleep.as_mut().poll(&mut cx).is_ready());
}

#[test]
#[should_panic(expected = "deadlock")]
fn a_future_that_can_never_finish_is_reported() {
    VirtualTimer::new().run(futures::future::pending::<()>());
}
