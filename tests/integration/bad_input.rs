//! bad_input tests.
