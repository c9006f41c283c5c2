//! Every emitted object knows where it came from: an item of the app, what
//! the object is for in it, and a span inside that item's block. Helm value
//! slots are recorded by emit and each one is a field of its object.

use crate::support::{environments, examples};
use tfc::emit::slot::Role;
use tfc::ir::{App, ItemId, ItemKind};
use tfc::span::Span;

/// The span of an item's block (the whole file for the app itself).
fn item_span(app: &App, id: ItemId, source: &str) -> Option<Span> {
    let i = id.index;
    Some(match id.kind {
        ItemKind::App => Span::new(0, source.len()),
        ItemKind::Config => app.configs.get(i)?.span,
        ItemKind::Secret => app.secrets.get(i)?.span,
        ItemKind::Volume => app.volumes.get(i)?.span,
        ItemKind::Workload => app.workloads.get(i)?.span,
        ItemKind::Ingress => app.ingresses.get(i)?.span,
        ItemKind::Autoscaler => app.autoscalers.get(i)?.span,
        ItemKind::Network => app.networks.get(i)?.span,
    })
}

/// The object kinds each role may produce, and the item kinds it comes from.
fn expected(role: Role) -> (&'static [&'static str], &'static [ItemKind]) {
    match role {
        Role::Namespace => (&["Namespace"], &[ItemKind::App]),
        Role::ServiceAccount => (&["ServiceAccount"], &[ItemKind::Workload]),
        Role::Config => (&["ConfigMap"], &[ItemKind::Config]),
        Role::Secret => (&["Secret"], &[ItemKind::Secret]),
        Role::Claim => (
            &["PersistentVolumeClaim"],
            &[ItemKind::Volume, ItemKind::Workload],
        ),
        Role::PersistentVolume => (&["PersistentVolume"], &[ItemKind::Volume]),
        Role::Workload => (&["Deployment", "StatefulSet"], &[ItemKind::Workload]),
        Role::Service => (&["Service"], &[ItemKind::Workload]),
        Role::Autoscaler => (&["HorizontalPodAutoscaler"], &[ItemKind::Autoscaler]),
        Role::Ingress => (&["Ingress"], &[ItemKind::Ingress]),
        Role::DenyPolicy => (&["NetworkPolicy"], &[ItemKind::App, ItemKind::Network]),
        Role::AllowPolicy => (&["NetworkPolicy"], &[ItemKind::Workload]),
        Role::Extra => (&[], &[ItemKind::App]),
        Role::Budget => (&["PodDisruptionBudget"], &[ItemKind::Workload]),
    }
}

#[test]
fn every_object_has_an_origin_inside_its_item() {
    let mut checked = 0;
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        let mut envs = vec![None];
        envs.extend(environments(&source).into_iter().map(Some));
        for env in envs {
            let opts = tfc::CompileOptions {
                env: env.clone(),
                ..Default::default()
            };
            let c = tfc::compile(&source, &opts);
            let objects = c.objects.unwrap();
            let app = c.app.unwrap();
            assert_eq!(objects.len(), c.origins.len(), "{path:?} {env:?}");
            for (o, origin) in objects.iter().zip(&c.origins) {
                let what = format!("{path:?} {env:?} {} {}", o.kind(), o.name());
                let (kinds, items) = expected(origin.role);
                // An `object` may be of any kind.
                let any = origin.role == Role::Extra;
                assert!(
                    any || kinds.contains(&o.kind()),
                    "{what}: role {:?}",
                    origin.role
                );
                assert!(items.contains(&origin.item.kind), "{what}: {origin:?}");
                let block = item_span(&app, origin.item, &source)
                    .unwrap_or_else(|| panic!("{what}: no item {:?}", origin.item));
                let s = origin.span;
                assert!(
                    block.start <= s.start && s.end <= block.end && s.start < s.end,
                    "{what}: span {s:?} is not inside its item {block:?}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "only {checked} objects");
}

#[test]
fn a_workload_object_names_its_workload() {
    let source =
        std::fs::read_to_string(crate::support::root().join("examples/taskora.taskflow")).unwrap();
    let c = tfc::compile(&source, &tfc::CompileOptions::default());
    let app = c.app.unwrap();
    let objects = c.objects.unwrap();
    let mut seen = 0;
    for (o, origin) in objects.iter().zip(&c.origins) {
        if origin.role == Role::Workload {
            let w = &app.workloads[origin.item.index];
            assert_eq!(o.name(), w.object_name);
            assert_eq!(&source[origin.span.start..origin.span.end], w.id.node);
            seen += 1;
        }
    }
    assert_eq!(seen, app.workloads.len());
}

#[test]
fn value_slots_are_fields_of_their_objects() {
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        let c = tfc::compile(&source, &tfc::CompileOptions::default());
        let app = c.app.unwrap();
        let emitted = tfc::emit::emit_for_chart(&app);
        let mut slots = 0;
        for e in &emitted {
            let node = tfc::emit::yaml::object_node(&e.object).unwrap();
            for s in &e.slots {
                assert!(
                    tfc::emit::yaml::get(&node, &s.path).is_some(),
                    "{path:?}: slot {:?} of {} {} is not a field",
                    s.path,
                    e.object.kind(),
                    e.object.name()
                );
                slots += 1;
            }
            if e.origin.role == Role::Workload {
                // Every workload has its image as a tunable.
                assert!(
                    e.slots
                        .iter()
                        .any(|s| s.value.last().is_some_and(|v| v == "image"))
                );
            }
        }
        assert!(slots > 5, "{path:?}: {slots} slots");
    }
}
