//! The platform under hostile and heavy use, and as a service: timeouts, limits, shutdown,
//! traffic meant to break it, health and metrics, backups, and two instances behind nginx.

mod backup;
mod cluster;
mod hostile;
mod service;
mod timeouts;
