//! The registration feature: the flow through both paths, email over SMTP, and the real
//! server binary killed under load.

mod capacity;
mod email;
mod flow;
pub mod secrets;
mod server_process;
