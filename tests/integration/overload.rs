//! overload tests.
