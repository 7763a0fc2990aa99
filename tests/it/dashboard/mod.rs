//! The coordinators' dashboard: every server function and page refuses strangers and shows
//! each organisation only its own rows.

mod guarded;
mod registrations;
