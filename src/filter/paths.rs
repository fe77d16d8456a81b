//! Path classes: test suites, documentation, generated or vendored files, source code. Generic
//! matches are judged by where they are: fixtures in tests, examples in docs, hashes in
//! lockfiles, variables in code.

/// Source-code extensions: there an unquoted value after `name =` is a variable, not a literal.
const CODE_EXTENSIONS: &[&str] = &[
    "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "go", "rb", "php", "cs", "c", "cc",
    "cpp", "h", "hpp", "rs", "kt", "kts", "swift", "scala", "m", "mm", "dart", "lua", "pl",
    "groovy", "vue", "svelte", "ex", "exs", "erl", "clj", "fs", "vb", "r", "jl", "zig", "nim",
    // HCL (Terraform): literals are always quoted there.
    "tf", "hcl",
];

/// Lockfiles, source maps, minified bundles and vendored directories: generated or
/// third-party content, full of hashes and random-looking ids that are not secrets.
pub fn is_generated_path(path: &str) -> bool {
    const LOCKFILES: &[&str] = &[
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
        "Cargo.lock",
        "poetry.lock",
        "Pipfile.lock",
        "uv.lock",
        "go.sum",
        "composer.lock",
        "Gemfile.lock",
        "packages.lock.json",
        "flake.lock",
        "mix.lock",
        "pubspec.lock",
        "Podfile.lock",
    ];
    const VENDORED: &[&str] = &["vendor", "node_modules", "third_party", "bower_components"];
    let mut parts = path.rsplit('/');
    let name = parts.next().unwrap_or(path);
    LOCKFILES.contains(&name)
        || name.ends_with(".map")
        || name.ends_with(".min.js")
        || name.ends_with(".min.css")
        || parts.any(|dir| VENDORED.contains(&dir))
}

/// Directory and file names of test suites and fixtures.
pub fn is_test_path(path: &str) -> bool {
    const DIRS: &[&str] = &[
        "t",
        "test",
        "tests",
        "testing",
        "spec",
        "specs",
        "__tests__",
        "__mocks__",
        "mocks",
        "testdata",
        "test-data",
        "test_data",
        "fixtures",
        "__fixtures__",
        "testfixtures",
        "example",
        "examples",
        "sample",
        "samples",
        "e2e",
        "cypress",
    ];
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split('/').peekable();
    while let Some(part) = parts.next() {
        if parts.peek().is_none() {
            let stem = part.split('.').next().unwrap_or(part);
            // `FooTest.java`, `FooTests.cs`: the capital T tells it from `latest`.
            let original = &path[path.len() - part.len()..];
            let camel = original.split('.').next().unwrap_or(original);
            return stem.starts_with("test_")
                || stem.ends_with("_test")
                || stem.ends_with("_tests")
                || stem.ends_with("_spec")
                || camel.ends_with("Test")
                || camel.ends_with("Tests")
                || part.contains(".test.")
                || part.contains(".spec.")
                || stem == "test"
                || stem == "conftest";
        }
        if DIRS.contains(&part) {
            return true;
        }
    }
    false
}

/// Prose documentation, where a `password: ...` is an example.
pub fn is_docs_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".md",
        ".markdown",
        ".adoc",
        ".asciidoc",
        ".rst",
        ".txt",
        ".html",
        ".htm",
        ".1",
        ".3",
        ".po",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || lower
            .split('/')
            .any(|p| p == "docs" || p == "doc" || p == "documentation")
}

/// Whether the file is source code (by extension): there an unquoted value after `name =` is a
/// variable, not a literal.
pub fn is_code_path(path: &str) -> bool {
    path.rsplit_once('.')
        .is_some_and(|(_, e)| CODE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_and_docs_paths() {
        for p in [
            "t/t0300.sh",
            "tests/data/x",
            "src/__tests__/a.js",
            "pkg/foo_test.go",
            "test_app.py",
            "a/b.spec.ts",
            "spec/models/user_spec.rb",
            "FooTest.java",
        ] {
            assert!(is_test_path(p), "{p}");
        }
        for p in [
            "src/main.rs",
            "contest/entry.py",
            "latest/config.yml",
            ".env",
            "testament.txt",
            "latest.txt",
        ] {
            assert!(!is_test_path(p), "{p}");
        }
        assert!(is_docs_path("docs/setup.md") && is_docs_path("README.rst"));
        assert!(!is_docs_path("src/settings.py"));
    }

    #[test]
    fn code_paths() {
        assert!(is_code_path("src/db.go") && is_code_path("App.CS"));
        assert!(!is_code_path("db/init.sql") && !is_code_path("Makefile"));
    }
}
