//! The platform under hostile and heavy use: timeouts, limits, shutdown, and traffic
//! meant to break it.

mod hostile;
mod timeouts;
