//! A real SMTP server for tests: listens on a loopback port, speaks enough SMTP for a
//! client to deliver (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and keeps each message
//! with its envelope's sender (`MAIL FROM`).
//! A recipient whose address starts with `nobody@` is refused with 550, as a real server
//! refuses a mailbox that does not exist.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub port: u16,
    pub messages: Arc<Mutex<Vec<String>>>,
    /// Each message's `MAIL FROM` address, in the order of `messages`.
    pub senders: Arc<Mutex<Vec<String>>>,
}

impl SmtpSink {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind SMTP sink");
        let port = listener.local_addr().expect("addr").port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let senders = Arc::new(Mutex::new(Vec::new()));
        let (store, from_store) = (messages.clone(), senders.clone());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (store, from_store) = (store.clone(), from_store.clone());
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let _ = write.write_all(b"220 sink ESMTP\r\n").await;
                    let mut in_data = false;
                    let mut data = String::new();
                    let mut sender = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if in_data {
                            if line == "." {
                                in_data = false;
                                // Both under one lock order: a message and its sender together.
                                {
                                    let mut kept = store.lock().expect("lock");
                                    from_store.lock().expect("lock").push(sender.clone());
                                    kept.push(std::mem::take(&mut data));
                                }
                                let _ = write.write_all(b"250 OK queued\r\n").await;
                            } else {
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push('\n');
                            }
                            continue;
                        }
                        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                        if verb == "MAIL" {
                            sender = line
                                .split_once('<')
                                .and_then(|(_, rest)| rest.split_once('>'))
                                .map(|(address, _)| address.to_owned())
                                .unwrap_or_default();
                        }
                        let reply: &[u8] = match verb.as_str() {
                            "EHLO" => b"250-sink\r\n250 8BITMIME\r\n",
                            "RCPT" if line.to_ascii_lowercase().contains("<nobody@") => {
                                b"550 5.1.1 No such user\r\n"
                            }
                            "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                            "DATA" => {
                                in_data = true;
                                b"354 End data with <CR><LF>.<CR><LF>\r\n"
                            }
                            "QUIT" => {
                                let _ = write.write_all(b"221 Bye\r\n").await;
                                break;
                            }
                            _ => b"502 Command not implemented\r\n",
                        };
                        if write.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Self {
            port,
            messages,
            senders,
        }
    }

    pub fn received(&self) -> Vec<String> {
        self.messages.lock().expect("lock").clone()
    }

    /// The envelope sender of each message received, in order.
    pub fn senders(&self) -> Vec<String> {
        self.senders.lock().expect("lock").clone()
    }
}
