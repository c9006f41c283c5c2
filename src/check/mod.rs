//! Phase 4, checks: the IR is inspected for broken references, invalid
//! values, clashing names and likely mistakes. Every check reports through
//! the one diagnostic model; none stops the others.

mod images;
mod jobs;
mod names;
mod placement;
mod refs;
pub mod security;
mod values;
mod warnings;

pub use names::{is_dns_label, is_label_key, is_label_name, is_label_value};

use crate::diagnostic::Diagnostic;
use crate::ir::App;

/// Runs every check over the app.
pub fn check(app: &App) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    names::check(app, &mut diags);
    refs::check(app, &mut diags);
    placement::check(app, &mut diags);
    values::check(app, &mut diags);
    jobs::check(app, &mut diags);
    let mut warned = Vec::new();
    warnings::check(app, &mut warned);
    images::check(app, &mut warned);
    diags.extend(warned.into_iter().filter(|d| !security::accepted(app, d)));
    security::check(app, &mut diags);
    diags
}
