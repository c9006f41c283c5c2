//! The name and label formats of the API server, exactly as
//! `k8s.io/apimachinery/pkg/util/validation` defines them (the checks on the
//! file, in `check::names`, are sometimes stricter).

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, without a length limit.
fn label_shape(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A DNS-1123 label: at most 63 characters.
pub fn dns1123_label(s: &str) -> bool {
    s.len() <= 63 && label_shape(s)
}

/// A DNS-1123 subdomain: labels joined by `.`, at most 253 characters in all.
pub fn dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(label_shape)
}

/// A DNS-1035 label: a DNS-1123 label that starts with a letter.
pub fn dns1035_label(s: &str) -> bool {
    dns1123_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

// A qualified name: `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, 1 to 63 characters.
use crate::check::is_label_name as qualified_name;

/// A label key: `[prefix/]name`, the prefix a DNS-1123 subdomain.
pub fn label_key(s: &str) -> bool {
    match s.split_once('/') {
        Some((prefix, name)) => dns1123_subdomain(prefix) && qualified_name(name),
        None => qualified_name(s),
    }
}

/// A label value: empty, or a qualified name.
pub fn label_value(s: &str) -> bool {
    s.is_empty() || qualified_name(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(dns1123_subdomain(&format!("{}.b", "a".repeat(70))));
        assert!(!dns1123_subdomain(&"a".repeat(254)));
        assert!(!dns1123_label(&"a".repeat(64)));
        assert!(dns1035_label("web") && !dns1035_label("1web"));
        assert!(label_key("app.kubernetes.io/name") && !label_key("a/b/c"));
        assert!(label_value("") && label_value("v1.2_x") && !label_value("-x"));
    }
}
