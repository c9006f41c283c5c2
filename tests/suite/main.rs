//! The test suite, one binary: bad-input cases, examples, output integrity,
//! validation by real tools, and the command line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod cases;
mod cli;
mod docs;
mod editors;
mod examples;
mod fuzz_replay;
mod gitops;
mod helm;
mod integrity;
mod language;
mod output;
mod policy;
mod properties;
mod provenance;
mod roundtrip;
mod sealed;
mod support;
mod validate;
