//! A progress line on stderr while an audit runs, when stderr is a terminal.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

#[derive(Clone)]
pub struct Progress {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    accounts: usize,
    units_per_account: usize,
    done: AtomicUsize,
    errors: AtomicUsize,
    stop: AtomicBool,
}

impl Progress {
    pub fn start(wanted: bool, accounts: usize, units_per_account: usize) -> Progress {
        if !wanted || !std::io::stderr().is_terminal() {
            return Progress { inner: None };
        }
        let inner = Arc::new(Inner {
            accounts,
            units_per_account,
            done: AtomicUsize::new(0),
            errors: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
        });
        let i = inner.clone();
        tokio::spawn(async move {
            while !i.stop.load(Ordering::Relaxed) {
                i.draw();
                tokio::time::sleep(std::time::Duration::from_millis(250)).await;
            }
        });
        Progress { inner: Some(inner) }
    }

    pub fn account_done(&self, _units: usize, had_errors: bool) {
        if let Some(i) = &self.inner {
            i.done.fetch_add(1, Ordering::Relaxed);
            if had_errors {
                i.errors.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn finish(&self) {
        if let Some(i) = &self.inner {
            i.stop.store(true, Ordering::Relaxed);
            i.draw();
            eprintln!();
        }
    }
}

impl Inner {
    fn draw(&self) {
        let done = self.done.load(Ordering::Relaxed);
        let errors = self.errors.load(Ordering::Relaxed);
        let mut e = std::io::stderr().lock();
        let _ = write!(
            e,
            "\r\x1b[2Kaudit: {done}/{} accounts × {} regions (incl. global) · {errors} with collection errors",
            self.accounts, self.units_per_account
        );
        let _ = e.flush();
    }
}
