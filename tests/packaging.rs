//! The packaging files agree with Cargo.toml: the wheel and the pre-commit shim carry its
//! version (the shim depends on exactly that wheel), and the default pre-commit hook is the
//! one that needs no Rust toolchain.

use crate::common::repo_root;

fn read(path: &str) -> String {
    std::fs::read_to_string(repo_root().join(path)).unwrap()
}

fn cargo_version() -> String {
    let manifest: toml::Value = toml::from_str(&read("Cargo.toml")).unwrap();
    manifest["package"]["version"].as_str().unwrap().to_string()
}

#[test]
fn the_pre_commit_shim_depends_on_the_wheel_of_this_version() {
    let version = cargo_version();
    let shim: toml::Value = toml::from_str(&read("pyproject.toml")).unwrap();
    assert_eq!(shim["project"]["version"].as_str(), Some(version.as_str()));
    let deps = shim["project"]["dependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 1);
    assert_eq!(
        deps[0].as_str(),
        Some(format!("scan-secrets=={version}").as_str())
    );
}

#[test]
fn the_wheel_is_built_from_this_crate_as_a_binary() {
    let wheel: toml::Value = toml::from_str(&read("python/pyproject.toml")).unwrap();
    assert_eq!(wheel["project"]["name"].as_str(), Some("scan-secrets"));
    // The version comes from Cargo.toml through maturin.
    assert_eq!(wheel["project"]["dynamic"][0].as_str(), Some("version"));
    let maturin = &wheel["tool"]["maturin"];
    assert_eq!(maturin["bindings"].as_str(), Some("bin"));
    assert_eq!(maturin["manifest-path"].as_str(), Some("../Cargo.toml"));
}

#[test]
fn the_default_pre_commit_hook_needs_no_rust() {
    let hooks = read(".pre-commit-hooks.yaml");
    let first = hooks.split("- id: ").nth(1).unwrap();
    assert!(first.starts_with("scan-secrets\n"), "{first}");
    assert!(first.contains("language: python"), "{first}");
    for id in ["scan-secrets-system", "scan-secrets-rust"] {
        assert!(hooks.contains(&format!("- id: {id}\n")), "{id}");
    }
}
