//! theory tests.
