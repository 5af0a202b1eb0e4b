//! Local Clerk stand-in (being written).
