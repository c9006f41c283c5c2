//! checkov, a real policy engine, on the output of every example: each
//! failed check must be a weaker setting the example asked for, for which
//! tfc reports (or the example accepts) its own warning.

use crate::support::{examples, find_tool, skip};
use std::process::Command;
use tfc::check::security::opt_ins;
use tfc::diagnostic::Code;

/// The tfc warning that announces each checkov check it can fail.
fn code_of(check: &str) -> Option<Code> {
    Some(match check {
        "CKV_K8S_43" => Code::ImageNotPinned,
        "CKV_K8S_14" => Code::ImageLatest,
        "CKV_K8S_15" => Code::PullNotAlways,
        "CKV_K8S_35" => Code::SecretInEnv,
        "CKV_K8S_40" => Code::LowUid,
        "CKV_K8S_23" => Code::RunAsRoot,
        "CKV_K8S_22" => Code::WritableRoot,
        "CKV_K8S_20" => Code::PrivilegeEscalation,
        "CKV_K8S_38" => Code::ServiceAccountToken,
        "CKV_K8S_25" | "CKV_K8S_28" | "CKV_K8S_39" => Code::AddedCapabilities,
        "CKV_K8S_31" | "CKV_K8S_32" => Code::SeccompUnconfined,
        "CKV_K8S_21" => Code::DefaultNamespace,
        "CKV_K8S_8" | "CKV_K8S_9" => Code::MissingProbes,
        "CKV_K8S_10" | "CKV_K8S_11" | "CKV_K8S_12" | "CKV_K8S_13" => Code::MissingResources,
        _ => return None,
    })
}

#[test]
fn checkov_fails_only_what_the_examples_opt_into() {
    let Some(checkov) = find_tool("checkov") else {
        skip("the checkov policy test", "checkov is not installed");
        return;
    };
    for path in examples() {
        let source = std::fs::read_to_string(&path).unwrap();
        let compiled = tfc::compile(&source, &tfc::CompileOptions::default());
        let app = compiled.app.as_ref().unwrap();
        // checkov skips hidden directories, as tempfile's default names are.
        let tmp = tempfile::Builder::new()
            .prefix("tfc-checkov-")
            .tempdir()
            .unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir(&out).unwrap();
        for o in compiled.objects.as_ref().unwrap() {
            std::fs::write(out.join(o.file_name()), tfc::emit::yaml::object(o).unwrap()).unwrap();
        }
        let run = Command::new(&checkov)
            .args([
                "-d",
                out.to_str().unwrap(),
                "--framework",
                "kubernetes",
                "-o",
                "json",
                "--quiet",
            ])
            .env("BC_SKIP_MAPPING", "TRUE")
            .env("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap_or_else(|e| {
            panic!(
                "checkov output for {}: {e}\n{}",
                path.display(),
                String::from_utf8_lossy(&run.stderr)
            )
        });
        let report = if report.is_array() {
            report[0].clone()
        } else {
            report
        };
        assert!(
            report["summary"]["resource_count"].as_u64().unwrap_or(0) > 5,
            "checkov read nothing: {report}"
        );
        assert_eq!(
            report["summary"]["parsing_errors"],
            0,
            "{}: {report}",
            path.display()
        );
        // About 60 checks apply to each pod template.
        let pods = app.workloads.len() as u64;
        assert!(
            report["summary"]["passed"].as_u64().unwrap() > 40 * pods,
            "checkov ran its checks: {report}"
        );
        let opted = opt_ins(app);
        let failed = report["results"]["failed_checks"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for f in failed {
            let check = f["check_id"].as_str().unwrap();
            let resource = f["resource"].as_str().unwrap();
            let mut parts = resource.splitn(3, '.');
            let (kind, name) = (parts.next().unwrap(), parts.nth(1).unwrap_or(""));
            let code = code_of(check).unwrap_or_else(|| {
                panic!(
                    "{}: checkov fails {check} on {resource}, which no setting opts into",
                    path.display()
                )
            });
            let owner = app
                .workloads
                .iter()
                .find(|w| matches!(kind, "Deployment" | "StatefulSet") && w.object_name == name);
            // A warning about the file that the example accepts (no probes,
            // no resources) explains the check too.
            let accepted = |names: &[tfc::ir::Name]| names.iter().any(|n| n.node == code.name());
            let explained = opted.iter().any(|o| {
                o.code == code
                    && (o.workload.is_none() || o.workload.map(|w| &w.id) == owner.map(|w| &w.id))
            }) || accepted(&app.accept)
                || owner.is_some_and(|w| accepted(&w.accept));
            assert!(
                explained,
                "{}: checkov fails {check} on {resource} but the example did not opt into {}",
                path.display(),
                code.name()
            );
        }
    }
}
