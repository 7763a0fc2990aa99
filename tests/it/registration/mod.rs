//! The registration feature: the flow through both paths, email over SMTP, and the real
//! server binary killed under load.

mod calendar;
mod capacity;
mod email;
mod flow;
mod full;
mod group;
mod limits;
mod privacy;
pub mod secrets;
pub mod server_process;
