//! A one-line "still working" indicator for long builds on a terminal.

use std::io::IsTerminal;
use std::time::Instant;

/// A one-line "still working" indicator on a terminal, shown only for builds that take longer
/// than a second, and erased when they finish.
pub struct Progress {
    done: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    pub fn start(enabled: bool, label: String) -> Progress {
        if !enabled || !std::io::stderr().is_terminal() {
            return Progress {
                done: None,
                thread: None,
            };
        }
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            let started = Instant::now();
            let mut shown = false;
            let frames = ['|', '/', '-', '\\'];
            let mut n = 0;
            loop {
                let wait = if shown {
                    std::time::Duration::from_millis(200)
                } else {
                    std::time::Duration::from_secs(1)
                };
                match rx.recv_timeout(wait) {
                    Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                        eprint!(
                            "\r{} {label}… {:.1} s ",
                            frames[n % frames.len()],
                            started.elapsed().as_secs_f64()
                        );
                        shown = true;
                        n += 1;
                    }
                    _ => break,
                }
            }
            if shown {
                eprint!("\r\x1b[2K");
            }
        });
        Progress {
            done: Some(tx),
            thread: Some(thread),
        }
    }

    pub fn finish(mut self) {
        drop(self.done.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
