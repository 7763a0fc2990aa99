//! The platform under hostile and heavy use, and as a service: timeouts, limits, shutdown,
//! traffic meant to break it, health and metrics, backups, two instances behind nginx, the
//! bound on password work, and what the public address decides.

mod backup;
mod cluster;
mod hostile;
mod password_work;
mod public_url;
mod service;
mod timeouts;
