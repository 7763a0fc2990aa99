//! A registration load on a real server process: clients that register as fast as the
//! server answers, each acknowledged reference kept with the moment its answer arrived.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::http::post_form;
use super::learner_form_body;

const SLUG: &str = "demonstrate-basic-chainsaw-operation";

/// A registration the server acknowledged (303 to its confirmation page).
pub struct Acknowledged {
    pub reference: String,
    pub at: Instant,
}

pub struct Load {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<Mutex<Vec<Acknowledged>>>,
    clients: Vec<tokio::task::JoinHandle<()>>,
}

impl Load {
    /// `clients` clients registering `<tag>-<client>-<n>@example.co.nz` for intake A06
    /// through `addr`.
    pub fn start(addr: &str, clients: usize, tag: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(Mutex::new(Vec::new()));
        let clients = (0..clients)
            .map(|c| {
                let (stop, acknowledged) = (stop.clone(), acknowledged.clone());
                let (addr, tag) = (addr.to_owned(), tag.to_owned());
                tokio::spawn(async move {
                    let mut n = 0;
                    while !stop.load(Ordering::SeqCst) {
                        n += 1;
                        let email = format!("{tag}-{c}-{n}@example.co.nz");
                        let path = format!("/credentials/{SLUG}/register");
                        let reply = post_form(&addr, &path, &learner_form_body(&email, "Load"))
                            .await
                            .expect("the server answers");
                        assert_eq!(reply.status, 303, "registration {email} refused");
                        let reference = reply
                            .location
                            .as_deref()
                            .and_then(|l| l.strip_prefix("/registrations/"))
                            .and_then(|l| l.split('?').next())
                            .expect("a confirmation link")
                            .to_owned();
                        let at = Instant::now();
                        acknowledged
                            .lock()
                            .expect("lock")
                            .push(Acknowledged { reference, at });
                    }
                })
            })
            .collect();
        Self {
            stop,
            acknowledged,
            clients,
        }
    }

    /// How many registrations have been acknowledged so far.
    pub fn count(&self) -> usize {
        self.acknowledged.lock().expect("lock").len()
    }

    /// Stops the clients and returns every acknowledged registration.
    pub async fn stop(self) -> Vec<Acknowledged> {
        self.stop.store(true, Ordering::SeqCst);
        for c in self.clients {
            c.await.expect("client");
        }
        std::mem::take(&mut *self.acknowledged.lock().expect("lock"))
    }
}
