//! Registration on the server: registering one learner (`register`; the place rule and its
//! refusals in `place`, the per-email caps in `caps`), cancelling and promoting, each change
//! on the registration's `timeline`; the confirmation page's read (`lookup`), the one submit
//! flow both paths share, the emails it queues, and its own routes.

pub mod cancel;
pub mod caps;
pub mod emails;
pub mod flow;
pub mod group;
pub mod invitation;
pub mod lookup;
pub mod place;
pub mod privacy;
pub mod register;
pub mod routes;
pub mod screen;
pub mod seats;
pub mod timeline;
pub mod tokens;
